//! The routes (DESIGN section 8) and the root component.

use crate::hooks::use_effect_on;
use yew::{platform::spawn_local, prelude::*};
use yew_router::prelude::*;

use crate::{
    api,
    components::{RequireAuth, layout},
    pages,
};

/// The product's name as shown in the navigation bar and page titles: rename it here.
pub const PRODUCT_NAME: &str = "SaaS Starter";

#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/signup")]
    SignUp,
    #[at("/login")]
    Login,
    #[at("/dashboard")]
    Dashboard,
    #[at("/keys")]
    Keys,
    /// The organisation's tasks: every role reads them, developers and above change them.
    #[at("/tasks")]
    Tasks,
    /// The organisation acted in: name, members, invitations; creating another.
    #[at("/org")]
    Org,
    #[at("/account")]
    Account,
    #[at("/admin")]
    Admin,
    // The pages the links in our emails open (`?token=`).
    #[at("/verify-email")]
    VerifyEmail,
    #[at("/forgot-password")]
    ForgotPassword,
    #[at("/reset-password")]
    ResetPassword,
    #[at("/confirm-email")]
    ConfirmEmail,
    /// The link of an invitation to join an organisation (`?token=`), signed in or not.
    #[at("/invite")]
    Invite,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The value of `name` in a query string (`?next=/keys&...`, with or without its `?`), decoded by
/// the browser (`URLSearchParams`): serde_urlencoded's reader would cost ~3 KB of wasm (the
/// first-load budget).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(query)
        .ok()?
        .get(name)
}

impl Route {
    /// Pages that need a session; a signed-out visitor is sent to sign in and brought back.
    pub fn needs_session(&self) -> bool {
        matches!(
            self,
            Route::Dashboard
                | Route::Keys
                | Route::Tasks
                | Route::Org
                | Route::Account
                | Route::Admin
        )
    }
}

/// What signing out does before the session store is cleared: go to the sign-in page (so the
/// signed-in page's guard never asks to come back to it).
pub fn to_login(navigator: Option<Navigator>) -> impl FnOnce() {
    move || {
        if let Some(navigator) = navigator {
            navigator.push(&Route::Login);
        }
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <pages::Home /> },
        Route::SignUp => pages::sign_up(),
        Route::Login => pages::login(),
        Route::Dashboard => html! { <RequireAuth><pages::Dashboard /></RequireAuth> },
        Route::Keys => html! { <RequireAuth><pages::Keys /></RequireAuth> },
        Route::Tasks => html! { <RequireAuth><pages::Tasks /></RequireAuth> },
        Route::Org => html! { <RequireAuth><pages::Org /></RequireAuth> },
        Route::Account => html! { <RequireAuth><pages::Account /></RequireAuth> },
        Route::Admin => html! { <RequireAuth admin=true><pages::Admin /></RequireAuth> },
        Route::VerifyEmail => html! { <pages::VerifyEmail /> },
        Route::ForgotPassword => html! { <pages::ForgotPassword /> },
        Route::ResetPassword => html! { <pages::ResetPassword /> },
        Route::ConfirmEmail => html! { <pages::ConfirmEmail /> },
        Route::Invite => html! { <pages::Invite /> },
        Route::NotFound => html! { <pages::NotFound /> },
    }
}

#[function_component(App)]
pub fn app() -> Html {
    // Once per page load: bring back the session from the refresh cookie, if any.
    use_effect_on((), Box::new(|_: &()| spawn_local(api::restore_session())));
    html! {
        <BrowserRouter>
            { layout(html! { <Switch<Route> render={switch} /> }) }
        </BrowserRouter>
    }
}
