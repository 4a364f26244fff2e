//! "Resend email": a new verification link for the signed-in user, and what the server said.

use crate::components::ui;
use crate::hooks::use_value;
use yew::prelude::*;

use super::ui::ButtonKind;
use crate::{api, api::ApiError, forms::capitalise, hooks::use_submit};

/// The button, and beside it the server's answer: the 202 message, or why not now (one email a
/// minute: "retry in 42 s").
#[function_component(ResendVerification)]
pub fn resend_verification() -> Html {
    let sent = use_value(None::<String>);
    let resend = use_submit(sent.clone(), |sent, ()| async move {
        sent.set(None);
        let accepted = api::resend_verification().await?;
        sent.set(Some(accepted.message));
        Ok::<_, ApiError>(())
    });
    let (outcome, look) = match (resend.error(), sent.as_ref()) {
        (Some(e), _) => (capitalise(&e.message), "text-red-700"),
        (None, Some(message)) => (message.clone(), "text-emerald-800"),
        (None, None) => (String::new(), ""),
    };
    html! {
        <div class="flex flex-wrap items-center gap-x-3 gap-y-2">
            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, busy: resend.busy(), onclick: resend.reform(|_| ()), children: html! { { "Resend email" } } })) }
            // Always in the page, so screen readers announce what appears in it.
            <p role="status" data-testid="resend-outcome" class={classes!("text-sm", "font-medium", look)}>
                { outcome }
            </p>
        </div>
    }
}
