//! /confirm-email?token=: the link sent to a new address makes it the account's.

use crate::components::ui;
use shared::dto::ErrorCode;
use yew::prelude::*;

use super::verify_email::LinkProps;
use crate::{
    api,
    api::ApiError,
    app::Route,
    components::{
        session_known,
        ui::{AlertKind, ButtonKind},
    },
    forms::capitalise,
    hooks::{Load, use_link_token, use_load, use_session, use_title},
};

#[function_component(ConfirmEmail)]
pub fn confirm_email() -> Html {
    use_title("Confirm your new email");
    let token = use_link_token();
    let session = use_session();
    html! {
        { ui::narrow_page(yew::props!(ui::NarrowPageProps { title: "Confirm your new email", children: session_known(&session, html! { <Confirm {token} /> }) })) }
    }
}

/// Posts the token once, and says how it went.
#[function_component(Confirm)]
fn confirm(props: &LinkProps) -> Html {
    let signed_in = use_session().user().is_some();
    let (outcome, _) = use_load(props.token.clone(), |token| async move {
        api::confirm_email_change(&token.ok_or_else(ApiError::missing_token)?).await
    });
    let (to, label) = if signed_in {
        (Route::Account, "Go to your account")
    } else {
        (Route::Login, "Sign in")
    };
    let message = match outcome.as_ref() {
        Load::Loading => {
            return html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Checking your link…" })) } };
        }
        Load::Ready(()) => html! {
            { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, testid: "link-outcome", children: html! { { "Your email address is changed: sign in with the new one from now on." } } })) }
        },
        // 409: someone signed up with the address after the change was asked for.
        Load::Failed(e) if e.code == ErrorCode::EmailTaken => html! {
            { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { "Another account uses this address now, so yours was not changed. You can ask for a change to another address on your account page." } } })) }
        },
        // Used, expired or superseded: a new change can be asked for on the account page.
        Load::Failed(e) => {
            html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&e.message) } } })) } }
        }
    };
    let kind = if matches!(outcome.as_ref(), Load::Ready(())) {
        ButtonKind::Primary
    } else {
        ButtonKind::Secondary
    };
    html! {
        <>
            { message }
            { ui::button_link(yew::props!(ui::ButtonLinkProps { to, kind, children: html! { { label } } })) }
        </>
    }
}
