//! /signup and /login: the form, and once signed in, on to where the visitor was going.

use crate::components::ui;
use crate::hooks::use_effect_on;
use crate::hooks::use_value;
use serde::Serialize;
use shared::validate::NextPath;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::{
    app::{Route, query_param},
    components::{
        auth_form::{AuthForm, AuthMode},
        provider_buttons::{oauth_failure, use_provider_buttons},
    },
    hooks::{LinkQuery, use_session, use_title},
    store::Session,
};

/// `?next=/keys`: the signed-in page a visitor was sent away from, or the invitation link they
/// opened signed out (`/invite?token=...`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NextQuery {
    pub next: Option<String>,
    /// Why a sign-in through an identity provider came back refused (`OAuthFailure`'s code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
}

impl NextQuery {
    /// Back to the invitation link with `token`, once signed in.
    pub fn invitation(token: &str) -> Self {
        let link = LinkQuery {
            token: Some(token.to_owned()),
        };
        // Percent-encoded, so the token reads back whole from `next`.
        let query = serde_urlencoded::to_string(&link).unwrap_or_default();
        Self {
            next: Some(format!("{}?{query}", Route::Invite.to_path())),
            oauth_error: None,
        }
    }
}

/// Where a visitor goes once signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// One of our signed-in pages.
    Page(Route),
    /// The invitation link (`/invite?token=`), to accept it now.
    Invitation(String),
}

impl Next {
    /// Goes there, in place of the sign-in page in the history.
    pub fn go(&self, navigator: &Navigator) {
        match self {
            Next::Page(route) => navigator.replace(route),
            Next::Invitation(token) => {
                let link = LinkQuery {
                    token: Some(token.clone()),
                };
                let _ = navigator.replace_with_query(&Route::Invite, &link);
            }
        }
    }
}

/// Where to go after signing in: `next` when it is one of our signed-in pages or an invitation
/// link with its token (never another site: "//evil.example" is refused), else the dashboard.
pub fn next_route(next: Option<&str>) -> Next {
    let dashboard = Next::Page(Route::Dashboard);
    let Some(next) = next.filter(|n| NextPath::is_valid(n)) else {
        return dashboard;
    };
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    match Route::recognize(path) {
        Some(Route::Invite) => query_param(query, "token")
            .filter(|t| !t.is_empty())
            .map_or(dashboard, Next::Invitation),
        Some(route) if route.needs_session() => Next::Page(route),
        _ => dashboard,
    }
}

/// /signup (keyed, so going to /login mounts that page afresh).
pub fn sign_up() -> Html {
    html! { <AuthPage key="signup" mode={AuthMode::SignUp} /> }
}

/// /login.
pub fn login() -> Html {
    html! { <AuthPage key="login" mode={AuthMode::SignIn} /> }
}

#[derive(Properties, PartialEq)]
struct AuthPageProps {
    mode: AuthMode,
}

#[function_component(AuthPage)]
fn auth_page(props: &AuthPageProps) -> Html {
    use_title(match props.mode {
        AuthMode::SignUp => "Sign up",
        AuthMode::SignIn => "Sign in",
    });
    let session = use_session();
    let navigator = use_navigator();
    let location = use_location();
    let param = |name| {
        location
            .as_ref()
            .and_then(|l| query_param(l.query_str(), name))
    };
    let (next, oauth_error) = (param("next"), param("oauth_error"));
    let target = next_route(next.as_deref());
    let providers = use_provider_buttons(next.clone());
    let signed_in = matches!(*session, Session::SignedIn(_));
    // Move on once this form (or the session restored at page load) signs in. A session that was
    // already there when the page opened is left alone: that is someone signing out, or
    // choosing to sign in as someone else.
    let signed_in_at_open = *use_value(signed_in);
    use_effect_on(
        signed_in,
        Box::new(move |signed_in: &bool| {
            if let (true, false, Some(navigator)) = (*signed_in, signed_in_at_open, navigator) {
                target.go(&navigator);
            }
        }),
    );

    let (title, lead, other_prompt, other_label, other_route) = match props.mode {
        AuthMode::SignUp => (
            "Create your account",
            "Free to start: buy credits only when you need them.",
            "Already have an account?",
            "Sign in",
            Route::Login,
        ),
        AuthMode::SignIn => (
            "Sign in to your account",
            "Welcome back.",
            "New here?",
            "Create an account",
            Route::SignUp,
        ),
    };
    html! {
        <div class="mx-auto w-full max-w-sm py-6 sm:py-12">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title, children: html! { { lead } } })) }
            <div class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
                { oauth_failure(oauth_error.as_deref()) }
                <AuthForm mode={props.mode} />
                if props.mode == AuthMode::SignIn {
                    <p class="mt-4 text-center text-sm">
                        <Link<Route> to={Route::ForgotPassword} classes="font-semibold text-brand-700 hover:underline">
                            { "Forgot your password?" }
                        </Link<Route>>
                    </p>
                }
                { providers }
            </div>
            <p class="mt-6 text-center text-sm text-slate-600">
                { other_prompt }{ " " }
                <Link<Route, NextQuery> to={other_route} query={Some(NextQuery { next, oauth_error: None })}
                    classes="font-semibold text-brand-700 hover:underline">
                    { other_label }
                </Link<Route, NextQuery>>
            </p>
        </div>
    }
}
