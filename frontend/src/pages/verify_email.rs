//! /verify-email?token=: the link sent at sign-up (or by "Resend email") proves the address.

use crate::components::ui;
use yew::prelude::*;

use crate::{
    api,
    api::ApiError,
    app::Route,
    components::{ResendVerification, session_known, ui::AlertKind},
    forms::capitalise,
    hooks::{Load, use_link_token, use_load, use_session, use_title},
};

#[function_component(VerifyEmail)]
pub fn verify_email() -> Html {
    use_title("Verify your email");
    let token = use_link_token();
    let session = use_session();
    html! {
        { ui::narrow_page(yew::props!(ui::NarrowPageProps { title: "Verify your email", children: session_known(&session, html! { <Verify {token} /> }) })) }
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct LinkProps {
    /// The link's token; `None` when it came without one.
    pub token: Option<AttrValue>,
}

/// Posts the token once, and says how it went.
#[function_component(Verify)]
fn verify(props: &LinkProps) -> Html {
    let session = use_session();
    let (outcome, _) = use_load(props.token.clone(), |token| async move {
        api::verify_email(&token.ok_or_else(ApiError::missing_token)?).await
    });
    let user = session.user();
    match outcome.as_ref() {
        Load::Loading => {
            html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Checking your link…" })) } }
        }
        Load::Ready(()) => html! {
            <>
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, testid: "link-outcome", children: html! { { "Your email is verified." } } })) }
                { continue_link(user.is_some()) }
            </>
        },
        // A link followed twice: the address was verified the first time.
        Load::Failed(_) if user.is_some_and(|u| u.email_verified) => html! {
            <>
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Info, testid: "link-outcome", children: html! { { "Your email is verified already." } } })) }
                { continue_link(true) }
            </>
        },
        Load::Failed(e) => html! {
            <>
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&e.message) } } })) }
                if user.is_some() {
                    <p class="text-sm text-slate-600">{ "We can send you a new link:" }</p>
                    <ResendVerification />
                } else {
                    <p class="text-sm text-slate-600">{ "Sign in to ask for a new link." }</p>
                    { ui::button_link(yew::props!(ui::ButtonLinkProps { to: Route::Login, children: html! { { "Sign in" } } })) }
                }
            </>
        },
    }
}

/// On to the dashboard, or to sign in.
fn continue_link(signed_in: bool) -> Html {
    let (to, label) = if signed_in {
        (Route::Dashboard, "Go to the dashboard")
    } else {
        (Route::Login, "Sign in")
    };
    html! { { ui::button_link(yew::props!(ui::ButtonLinkProps { to, children: html! { { label } } })) } }
}
