//! `Nav`: the top bar, with the signed-in pages, the organisation switcher, the balance and
//! "Sign out".

use crate::components::ui;
use shared::dto::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use super::OrgSwitcher;
use crate::{
    api,
    api::ApiError,
    app,
    app::{PRODUCT_NAME, Route},
    format,
    hooks::{use_session, use_submit},
    store::Session,
};

/// The top bar: brand, the signed-in pages, the organisation acted in, its balance and "Sign out"
/// (or sign in / sign up).
#[function_component(Nav)]
pub fn nav() -> Html {
    let session = use_session();
    let route = use_route::<Route>();
    // Signing out always ends here (the store is cleared even when the server is unreachable).
    let navigator = use_navigator();
    let sign_out = use_submit(navigator.clone(), |navigator, ()| async move {
        let _ = api::sign_out(app::to_login(navigator)).await;
        Ok::<_, ApiError>(())
    });

    let link = |to: Route, label: &'static str| {
        let current = route.as_ref() == Some(&to);
        nav_link(&navigator, to, current, label)
    };

    let right = match session.as_ref() {
        Session::SignedIn(s) => html! {
            <div class="flex flex-wrap items-center justify-end gap-2 sm:gap-3">
                <OrgSwitcher />
                <Link<Route> to={Route::Dashboard}
                    classes="inline-flex items-center gap-1.5 rounded-full bg-brand-50 px-3 py-1 text-sm font-semibold text-brand-700 ring-1 ring-inset ring-brand-100 hover:bg-brand-100">
                    <span class="sr-only">{ "Balance: " }</span>
                    <span data-testid="nav-balance">{ format::int(s.user.credits) }</span>
                    <span>{ "credits" }</span>
                </Link<Route>>
                <button type="button" onclick={sign_out.reform(|_| ())} disabled={sign_out.busy()}
                    class="rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                    { "Sign out" }
                </button>
            </div>
        },
        Session::SignedOut => html! {
            <div class="flex items-center gap-2">
                <Link<Route> to={Route::Login}
                    classes="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
                    { "Sign in" }
                </Link<Route>>
                { ui::button_link(yew::props!(ui::ButtonLinkProps { to: Route::SignUp, children: html! { { "Sign up" } } })) }
            </div>
        },
        Session::Restoring => html! {},
    };

    let pages = if let Session::SignedIn(_) = session.as_ref() {
        html! {
            <nav aria-label="Main" class="-mx-1 flex gap-1 overflow-x-auto px-1 sm:mx-0 sm:px-0">
                { link(Route::Dashboard, "Dashboard") }
                if session.can(Permission::ManageKeys) {
                    { link(Route::Keys, "API keys") }
                }
                { link(Route::Tasks, "Tasks") }
                { link(Route::Org, "Organization") }
                { link(Route::Account, "Account") }
                if session.is_admin() {
                    { link(Route::Admin, "Admin") }
                }
            </nav>
        }
    } else {
        html! {}
    };

    html! {
        <header class="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
                <Link<Route> to={Route::Home} classes="flex items-center gap-2 text-base font-bold tracking-tight text-slate-900">
                    <span aria-hidden="true" class="grid size-7 place-items-center rounded-lg bg-brand-600 text-sm text-white">{ "S" }</span>
                    { PRODUCT_NAME }
                </Link<Route>>
                <div class="order-3 w-full sm:order-none sm:w-auto sm:flex-1">{ pages }</div>
                <div class="ml-auto sm:ml-0">{ right }</div>
            </div>
        </header>
    }
}

/// A link of the main navigation; the current page is marked with aria-current (yew-router's
/// `Link` cannot carry that attribute). Modified clicks (new tab, ...) are left to the browser.
fn nav_link(navigator: &Option<Navigator>, to: Route, current: bool, label: &'static str) -> Html {
    let href = to.to_path();
    let onclick = {
        let navigator = navigator.clone();
        Callback::from(move |e: MouseEvent| {
            if e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() || e.button() != 0 {
                return;
            }
            e.prevent_default();
            if let Some(navigator) = &navigator {
                navigator.push(&to);
            }
        })
    };
    html! {
        <a {href} {onclick} aria-current={current.then_some("page")}
            class={classes!("whitespace-nowrap", "rounded-md", "px-3", "py-2", "text-sm", "font-medium", if current {
                    "bg-slate-100 text-slate-900"
                } else {
                    "text-slate-600 hover:bg-slate-50 hover:text-slate-900"
                })}>
            { label }
        </a>
    }
}
