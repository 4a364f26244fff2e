//! `narrow_page`: a page of one short task (follow an emailed link, ask for one), its heading
//! over a single panel in the middle of the screen.

use crate::components::ui;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NarrowPageProps {
    /// The page's h1.
    pub title: AttrValue,
    /// What the page is for, under the heading.
    #[prop_or_default]
    pub lead: Option<AttrValue>,
    /// The panel's content.
    pub children: Html,
}

pub fn narrow_page(props: NarrowPageProps) -> Html {
    html! {
        <div class="mx-auto w-full max-w-md py-6 sm:py-12">
            if let Some(lead) = &props.lead {
                { ui::page_header(yew::props!(ui::PageHeaderProps { title: props.title.clone(), children: html! { { lead.clone() } } })) }
            } else {
                { ui::page_header(yew::props!(ui::PageHeaderProps { title: props.title.clone() })) }
            }
            <div class="mt-6 space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
                { props.children.clone() }
            </div>
        </div>
    }
}
