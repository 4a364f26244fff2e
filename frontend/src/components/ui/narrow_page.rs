//! `NarrowPage`: a page of one short task (follow an emailed link, ask for one), its heading
//! over a single panel in the middle of the screen.

use yew::prelude::*;

use super::PageHeader;

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

#[function_component(NarrowPage)]
pub fn narrow_page(props: &NarrowPageProps) -> Html {
    html! {
        <div class="mx-auto w-full max-w-md py-6 sm:py-12">
            if let Some(lead) = &props.lead {
                <PageHeader title={props.title.clone()}>{ lead.clone() }</PageHeader>
            } else {
                <PageHeader title={props.title.clone()} />
            }
            <div class="mt-6 space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
                { props.children.clone() }
            </div>
        </div>
    }
}
