//! `show_more`: the button under a paginated list, with the error of its last attempt.

use crate::components::ui;
use yew::prelude::*;

use super::{AlertKind, ButtonKind};
use crate::api::ApiError;

#[derive(Properties, PartialEq)]
pub struct ShowMoreProps {
    pub onclick: Callback<()>,
    /// The button's text ("Show more", "Load more").
    pub label: AttrValue,
    /// The next page is on its way.
    #[prop_or_default]
    pub busy: bool,
    #[prop_or_default]
    pub error: Option<ApiError>,
}

pub fn show_more(props: ShowMoreProps) -> Html {
    html! {
        <div class="mt-3 space-y-2">
            if let Some(e) = &props.error {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) }
            }
            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Ghost, busy: props.busy, onclick: props.onclick.reform(|_| ()), children: html! { { props.label.clone() } } })) }
        </div>
    }
}
