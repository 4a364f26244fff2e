//! `card`: the white panel with a heading that pages are made of.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub children: Html,
    /// The section's heading (an h2), also its accessible name.
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub subtitle: Option<AttrValue>,
    /// Something at the right of the heading (a link, a total).
    #[prop_or_default]
    pub aside: Html,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A white panel with an optional heading: the unit every page is made of.
pub fn card(props: CardProps) -> Html {
    let heading_id = props
        .id
        .as_ref()
        .map(|id| AttrValue::from(format!("{id}-title")));
    html! {
        <section id={props.id.clone()} aria-labelledby={heading_id.clone()}
            class={classes!("min-w-0", "rounded-xl", "bg-white", "p-5", "shadow-sm", "ring-1", "ring-slate-200", "sm:p-6", props.class.clone())}>
            if let Some(title) = &props.title {
                <div class="mb-4 flex flex-wrap items-start justify-between gap-2">
                    <div>
                        <h2 id={heading_id} class="text-base font-semibold text-slate-900">{ title }</h2>
                        if let Some(subtitle) = &props.subtitle {
                            <p class="mt-0.5 text-sm text-slate-500">{ subtitle }</p>
                        }
                    </div>
                    { props.aside.clone() }
                </div>
            }
            { props.children.clone() }
        </section>
    }
}
