//! /verify-email?token=: the link sent at sign-up (or by "Resend email") proves the address.

use yew::prelude::*;

use crate::{
    api,
    api::ApiError,
    app::Route,
    components::{
        ResendVerification, SessionKnown,
        ui::{Alert, AlertKind, ButtonLink, Loading, NarrowPage},
    },
    forms::capitalise,
    hooks::{Load, use_link_token, use_load, use_session, use_title},
};

#[function_component(VerifyEmail)]
pub fn verify_email() -> Html {
    use_title("Verify your email");
    let token = use_link_token();
    html! {
        <NarrowPage title="Verify your email">
            <SessionKnown><Verify {token} /></SessionKnown>
        </NarrowPage>
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
        Load::Loading => html! { <Loading label="Checking your link…" /> },
        Load::Ready(()) => html! {
            <>
                <Alert kind={AlertKind::Success} testid="link-outcome">{ "Your email is verified." }</Alert>
                { continue_link(user.is_some()) }
            </>
        },
        // A link followed twice: the address was verified the first time.
        Load::Failed(_) if user.is_some_and(|u| u.email_verified) => html! {
            <>
                <Alert kind={AlertKind::Info} testid="link-outcome">{ "Your email is verified already." }</Alert>
                { continue_link(true) }
            </>
        },
        Load::Failed(e) => html! {
            <>
                <Alert kind={AlertKind::Error}>{ capitalise(&e.message) }</Alert>
                if user.is_some() {
                    <p class="text-sm text-slate-600">{ "We can send you a new link:" }</p>
                    <ResendVerification />
                } else {
                    <p class="text-sm text-slate-600">{ "Sign in to ask for a new link." }</p>
                    <ButtonLink to={Route::Login}>{ "Sign in" }</ButtonLink>
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
    html! { <ButtonLink {to}>{ label }</ButtonLink> }
}
