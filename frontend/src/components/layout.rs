//! `layout`: skip link, navigation bar, the page (under the banner of an unverified address),
//! footer.

use yew::prelude::*;
use yew_router::prelude::*;

use super::{Nav, VerifyBanner};
use crate::app::{PRODUCT_NAME, Route};

/// Skip link, navigation bar, the page, footer.
pub fn layout(children: Html) -> Html {
    html! {
        <div class="flex min-h-screen flex-col bg-slate-50 text-slate-900 antialiased">
            <a href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-semibold focus:shadow">
                { "Skip to content" }
            </a>
            <Nav />
            <main id="main" tabindex="-1" class="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 focus:outline-none">
                <VerifyBanner />
                { children }
            </main>
            <footer class="border-t border-slate-200 bg-white">
                <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-5 text-sm text-slate-500 sm:px-6">
                    <p>{ format!("© {PRODUCT_NAME}") }</p>
                    <nav aria-label="Footer" class="flex gap-4">
                        <Link<Route> to={Route::Home} classes="hover:text-slate-800">{ "Pricing" }</Link<Route>>
                        <a href="/api/docs" class="hover:text-slate-800">{ "API docs" }</a>
                    </nav>
                </div>
            </footer>
        </div>
    }
}
