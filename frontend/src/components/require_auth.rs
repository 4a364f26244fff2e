//! `RequireAuth`: the guard around the signed-in pages.

use crate::components::ui;
use crate::hooks::use_effect_on;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::{app::Route, hooks::use_session, store::Session};

#[derive(Properties, PartialEq)]
pub struct RequireAuthProps {
    pub children: Html,
    /// Only for admins (others get a "not allowed" page, not a redirect).
    #[prop_or_default]
    pub admin: bool,
}

/// Renders its page only with a session: waits while the session is being restored, and sends
/// a signed-out visitor to /login?next=<this page>, to come back after signing in. The page is
/// mounted again when the session switches to another organisation.
#[function_component(RequireAuth)]
pub fn require_auth(props: &RequireAuthProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let signed_out = matches!(*session, Session::SignedOut);
    use_effect_on(
        signed_out,
        Box::new(move |signed_out: &bool| {
            // The browser's path, not the router's (which may lag a render behind): a deliberate
            // sign-out has already moved to /login and must not be sent back here with ?next=.
            let path = web_sys::window().and_then(|w| w.location().pathname().ok());
            let here = path.as_deref().and_then(Route::recognize);
            if let (true, Some(navigator), Some(path), Some(here)) =
                (*signed_out, navigator, path.as_deref(), here)
                && here.needs_session()
            {
                let _ = navigator.replace_with_query(&Route::Login, &[("next", path)]);
            }
        }),
    );
    match session.as_ref() {
        Session::SignedIn(_) if props.admin && !session.is_admin() => html! {
            <div class="mx-auto max-w-md py-16 text-center">
                <h1 class="text-2xl font-bold">{ "Admins only" }</h1>
                <p class="mt-2 text-slate-600">{ "Your account cannot open this page." }</p>
                <Link<Route> to={Route::Dashboard} classes="mt-6 inline-block font-semibold text-brand-700 hover:underline">
                    { "Back to the dashboard" }
                </Link<Route>>
            </div>
        },
        // Keyed by the organisation acted in: switching to another mounts the page afresh, so
        // it loads that organisation's data and drops what it showed of the previous one.
        Session::SignedIn(s) => html! {
            <div key={s.user.organization.id.to_string()}>{ props.children.clone() }</div>
        },
        _ => html! { { ui::page_loading() } },
    }
}
