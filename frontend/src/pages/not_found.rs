use yew::prelude::*;
use yew_router::prelude::*;

use crate::{app::Route, hooks::use_title};

#[function_component(NotFound)]
pub fn not_found() -> Html {
    use_title("Page not found");
    html! {
        <div class="mx-auto max-w-md py-16 text-center">
            <p class="text-sm font-semibold text-brand-600">{ "404" }</p>
            <h1 class="mt-2 text-3xl font-bold tracking-tight text-slate-900">{ "Page not found" }</h1>
            <p class="mt-3 text-slate-600">{ "The page you are looking for does not exist or has moved." }</p>
            <div class="mt-8 flex justify-center gap-3">
                <Link<Route> to={Route::Home}
                    classes="rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700">
                    { "Go home" }
                </Link<Route>>
                <Link<Route> to={Route::Dashboard}
                    classes="rounded-lg px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
                    { "Dashboard" }
                </Link<Route>>
            </div>
        </div>
    }
}
