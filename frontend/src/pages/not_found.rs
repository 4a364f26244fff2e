//! The 404 page: what any unknown path shows.

use crate::components::ui;
use yew::prelude::*;

use crate::{app::Route, components::ui::ButtonKind, hooks::use_title};

#[function_component(NotFound)]
pub fn not_found() -> Html {
    use_title("Page not found");
    html! {
        <div class="mx-auto max-w-md py-16 text-center">
            <p class="text-sm font-semibold text-brand-600">{ "404" }</p>
            <h1 class="mt-2 text-3xl font-bold tracking-tight text-slate-900">{ "Page not found" }</h1>
            <p class="mt-3 text-slate-600">{ "The page you are looking for does not exist or has moved." }</p>
            <div class="mt-8 flex justify-center gap-3">
                { ui::button_link(yew::props!(ui::ButtonLinkProps { to: Route::Home, children: html! { { "Go home" } } })) }
                { ui::button_link(yew::props!(ui::ButtonLinkProps { to: Route::Dashboard, kind: ButtonKind::Secondary, children: html! { { "Dashboard" } } })) }
            </div>
        </div>
    }
}
