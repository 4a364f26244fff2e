//! /signup and /login: the form, and once signed in, on to where the visitor was going.

use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::{
    app::Route,
    components::{
        auth_form::{AuthForm, AuthMode},
        ui::PageHeader,
    },
    hooks::{use_session, use_title},
    store::Session,
};

/// `?next=/keys`: the signed-in page a visitor was sent away from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// Where to go after signing in: `next` when it is one of our signed-in pages (never another
/// site: "//evil.example" is refused), else the dashboard.
pub fn next_route(next: Option<&str>) -> Route {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .and_then(Route::recognize)
        .filter(Route::needs_session)
        .unwrap_or(Route::Dashboard)
}

#[function_component(SignUp)]
pub fn sign_up() -> Html {
    use_title("Sign up");
    html! { <AuthPage mode={AuthMode::SignUp} /> }
}

#[function_component(Login)]
pub fn login() -> Html {
    use_title("Sign in");
    html! { <AuthPage mode={AuthMode::SignIn} /> }
}

#[derive(Properties, PartialEq)]
struct AuthPageProps {
    mode: AuthMode,
}

#[function_component(AuthPage)]
fn auth_page(props: &AuthPageProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let query = use_location()
        .and_then(|l| l.query::<NextQuery>().ok())
        .unwrap_or_default();
    let target = next_route(query.next.as_deref());
    let signed_in = matches!(*session, Session::SignedIn(_));
    // Move on once this form (or the session restored at page load) signs in. A session that was
    // already there when the page opened is left alone: that is someone signing out, or
    // choosing to sign in as someone else.
    let signed_in_at_open = *use_state(|| signed_in);
    use_effect_with(signed_in, move |signed_in| {
        if let (true, false, Some(navigator)) = (*signed_in, signed_in_at_open, navigator) {
            navigator.replace(&target);
        }
    });

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
            <PageHeader {title}>{ lead }</PageHeader>
            <div class="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
                <AuthForm mode={props.mode} />
                if props.mode == AuthMode::SignIn {
                    <p class="mt-4 text-center text-sm">
                        <Link<Route> to={Route::ForgotPassword} classes="font-semibold text-brand-700 hover:underline">
                            { "Forgot your password?" }
                        </Link<Route>>
                    </p>
                }
            </div>
            <p class="mt-6 text-center text-sm text-slate-600">
                { other_prompt }{ " " }
                <Link<Route, NextQuery> to={other_route} query={Some(query.clone())}
                    classes="font-semibold text-brand-700 hover:underline">
                    { other_label }
                </Link<Route, NextQuery>>
            </p>
        </div>
    }
}
