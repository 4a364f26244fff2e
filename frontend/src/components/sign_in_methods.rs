//! The account page's sign-in methods: each identity provider, linked (unlink it, unless it is the
//! last way in) or configured and not linked (link it: off to the provider, back to this page). A link that came back
//! refused says why (`?oauth_error=`).

use std::rc::Rc;

use shared::dto::AuthProvider;
use yew::prelude::*;
use yew_router::prelude::*;

use super::provider_buttons::oauth_failure;
use crate::{
    api,
    app::query_param,
    components::ui::{self, AlertKind, ButtonKind},
    hooks::{Load, use_submit},
};

/// What a button does to a provider (by id): one action, so one request state for the card.
#[derive(Clone)]
enum Change {
    Link(String),
    Unlink(String),
}

/// The card's content for `providers` (`GET /api/me/identities`) of an account with or without a
/// password; `reload` loads them again (after an unlink). A hook rather than a component: less
/// wasm.
#[hook]
pub fn use_sign_in_methods(
    providers: Rc<Load<Vec<AuthProvider>>>,
    has_password: bool,
    reload: Callback<()>,
) -> Html {
    let oauth_error = use_location().and_then(|l| query_param(l.query_str(), "oauth_error"));
    let change = use_submit(reload, |reload, change: Change| async move {
        match change {
            Change::Unlink(provider) => {
                api::unlink(&provider).await?;
                reload.emit(());
            }
            Change::Link(provider) => {
                let started = api::link(&provider).await?;
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&started.authorize_url);
                }
            }
        }
        Ok::<(), api::ApiError>(())
    });
    let Load::Ready(providers) = &*providers else {
        return ui::loading(yew::props!(ui::LoadingProps {}));
    };
    // The last way in stays: no password and one provider.
    let linked = providers.iter().filter(|p| p.email.is_some());
    let last = linked.count() == 1 && !has_password;
    html! {
        <div class="space-y-4">
            { oauth_failure(oauth_error.as_deref()) }
            <ul class="divide-y divide-slate-100" data-testid="identities">
                { for providers.iter().map(|provider| {
                    let (name, email) = (&provider.name, provider.email.as_ref());
                    let (label, action) = match email {
                        Some(_) => (format!("Unlink {name}"), Change::Unlink(provider.id.clone())),
                        None => (format!("Link {name}"), Change::Link(provider.id.clone())),
                    };
                    html! {
                        <li class="flex flex-wrap items-center justify-between gap-3 py-2 text-sm break-all">
                            { format!("{name}{}", email.map(|e| format!(" · {e}")).unwrap_or_default()) }
                            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, disabled: last && email.is_some(), busy: change.busy(), onclick: Some(change.reform(move |_| action.clone())), children: html! { { label } } })) }
                        </li>
                    }
                }) }
            </ul>
            if last {
                <p class="text-sm text-slate-600">{ "Your only way to sign in: set a password before unlinking it." }</p>
            }
            if let Some(e) = change.error() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) }
            }
        </div>
    }
}
