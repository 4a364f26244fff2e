//! `ShowMore`: the button under a paginated list, with the error of its last attempt.

use yew::prelude::*;

use super::{Alert, AlertKind, Button, ButtonKind};
use crate::api::ApiError;

#[derive(Properties, PartialEq)]
pub struct ShowMoreProps {
    pub onclick: Callback<()>,
    /// The next page is on its way.
    #[prop_or_default]
    pub busy: bool,
    #[prop_or_default]
    pub error: Option<ApiError>,
}

#[function_component(ShowMore)]
pub fn show_more(props: &ShowMoreProps) -> Html {
    html! {
        <div class="mt-3 space-y-2">
            if let Some(e) = &props.error {
                <Alert kind={AlertKind::Error}>{ e.to_string() }</Alert>
            }
            <Button kind={ButtonKind::Ghost} busy={props.busy} onclick={props.onclick.reform(|_| ())}>
                { "Show more" }
            </Button>
        </div>
    }
}
