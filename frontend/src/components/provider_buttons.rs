//! "Continue with {provider}" for each identity provider the server offers, and the message of a
//! sign-in through one that came back refused (`?oauth_error=`). Nothing when none is configured.

use shared::dto::OAuthFailure;
use yew::prelude::*;

use crate::{
    api,
    components::ui::{self, AlertKind, ButtonKind},
    hooks::{Load, use_load},
    store,
};

/// The buttons, once the providers are known; `next` is where to land once signed in (the sign-in
/// page's own). A hook rather than a component: less wasm.
#[hook]
pub fn use_provider_buttons(next: Option<String>) -> Html {
    let (providers, _) = use_load((), |()| api::providers());
    let Load::Ready(providers) = &*providers else {
        return html! {};
    };
    if providers.is_empty() {
        return html! {};
    }
    html! {
        <div class="mt-6 space-y-3" data-testid="providers">
            { for providers.iter().map(|provider| {
                // A full page load: the provider's pages, then back through the API.
                let href = api::start_url(&provider.id, next.as_deref());
                html! {
                    <a {href} onclick={Callback::from(|_| store::expect_session())}
                        class={classes!(ButtonKind::Secondary.classes(), "w-full")}>
                        { format!("Continue with {}", provider.name) }
                    </a>
                }
            }) }
        </div>
    }
}

/// Why a sign-in (or link) through a provider did not happen, from the page's `oauth_error`.
pub fn oauth_failure(code: Option<&str>) -> Html {
    match code {
        Some(code) => {
            let failure = OAuthFailure::parse(code).unwrap_or(OAuthFailure::Failed);
            ui::alert(yew::props!(ui::AlertProps {
                kind: AlertKind::Error,
                testid: Some(AttrValue::from("oauth-error")),
                children: html! { { failure.message() } }
            }))
        }
        None => html! {},
    }
}
