//! `page_header`: a page's h1, whose data the page shows, and the sentence under it.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PageHeaderProps {
    /// The page's heading (its one h1).
    pub title: AttrValue,
    /// Whose data the page shows (the organisation acted in: "Acme · owner"), under the heading.
    #[prop_or_default]
    pub context: Option<AttrValue>,
    /// What the page is for, under the heading; nothing when empty.
    #[prop_or_default]
    pub children: Html,
}

pub fn page_header(props: PageHeaderProps) -> Html {
    html! {
        <div>
            <h1 class="text-2xl font-bold tracking-tight text-slate-900">{ props.title.clone() }</h1>
            if let Some(context) = &props.context {
                <p data-testid="page-context" class="mt-1 text-sm font-semibold text-brand-700">{ context.clone() }</p>
            }
            if props.children != Html::default() {
                <p class="mt-1 text-sm text-slate-600">{ props.children.clone() }</p>
            }
        </div>
    }
}
