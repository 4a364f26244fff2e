//! /invite?token=: the link of an invitation to join an organisation. Signed out, it offers to
//! sign in or up and come back here; signed in, "Accept invitation" joins and switches to it.

use crate::components::ui;
use yew::prelude::*;
use yew_router::prelude::*;

use super::auth::NextQuery;
use crate::{
    api,
    api::ApiError,
    app::Route,
    components::ui::{AlertKind, ButtonKind},
    forms::capitalise,
    hooks::{use_link_token, use_session, use_submit, use_title},
    store::Session,
};

#[function_component(Invite)]
pub fn invite() -> Html {
    use_title("Join an organization");
    let token = use_link_token();
    let session = use_session();
    let navigator = use_navigator();
    let accept = use_submit(
        (token.clone(), navigator),
        |(token, navigator), ()| async move {
            api::accept_invitation(&token.ok_or_else(ApiError::missing_token)?).await?;
            if let Some(navigator) = navigator {
                navigator.push(&Route::Dashboard);
            }
            Ok::<_, ApiError>(())
        },
    );
    let body = match (&token, session.as_ref()) {
        (None, _) => html! {
            { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&ApiError::missing_token().message) } } })) }
        },
        (Some(_), Session::Restoring) => {
            html! { { ui::loading(yew::props!(ui::LoadingProps {  })) } }
        }
        // Signed out: sign in (or up) first, then back to this link with its token.
        (Some(token), Session::SignedOut) => {
            let back = Some(NextQuery::invitation(token));
            let link = |kind: ButtonKind| classes!(kind.classes(), "flex-1");
            html! {
                <>
                    <p class="text-sm text-slate-700">
                        { "Sign in to accept it, or create an account with the address the invitation was sent to. You come back here afterwards." }
                    </p>
                    <div class="flex gap-3">
                        <Link<Route, NextQuery> to={Route::Login} query={back.clone()} classes={link(ButtonKind::Primary)}>
                            { "Sign in" }
                        </Link<Route, NextQuery>>
                        <Link<Route, NextQuery> to={Route::SignUp} query={back} classes={link(ButtonKind::Secondary)}>
                            { "Sign up" }
                        </Link<Route, NextQuery>>
                    </div>
                </>
            }
        }
        (Some(_), Session::SignedIn(s)) => html! {
            <>
                <p class="text-sm text-slate-700">
                    { "You are signed in as " }<strong class="break-all font-semibold">{ &s.user.email }</strong>
                    { ". Accepting makes you a member and switches to the organization." }
                </p>
                if let Some(e) = accept.error() {
                    { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { capitalise(&e.message) } } })) }
                }
                { ui::button(yew::props!(ui::ButtonProps { busy: accept.busy(), onclick: accept.reform(|_| ()), class: "w-full", children: html! { { "Accept invitation" } } })) }
            </>
        },
    };
    html! {
        { ui::narrow_page(yew::props!(ui::NarrowPageProps { title: "Join an organization", lead: "You were invited to work in an organization: its credits and API keys are shared by its members.", children: html! { { body } } })) }
    }
}
