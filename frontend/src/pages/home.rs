//! The landing page: what the product is, how it is paid for, and the credit packages.

use crate::components::ui;
use yew::prelude::*;

use crate::{
    api,
    app::Route,
    components::ui::{AlertKind, ButtonKind},
    format,
    hooks::{Load, use_load, use_session, use_title},
    store::Session,
};

#[function_component(Home)]
pub fn home() -> Html {
    use_title("Text generation, paid by the call");
    let session = use_session();
    let signed_in = matches!(*session, Session::SignedIn(_));
    let pricing = use_pricing(signed_in);
    let (primary_label, primary_to) = if signed_in {
        ("Open the dashboard", Route::Dashboard)
    } else {
        ("Create a free account", Route::SignUp)
    };
    html! {
            <div class="space-y-16 py-4 sm:py-8">
                <section class="grid items-center gap-10 lg:grid-cols-2">
                    <div>
                        <p class="text-sm font-semibold text-brand-600">{ "Pay as you go · no subscription" }</p>
                        <h1 class="mt-2 text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
                            { "Text generation, paid by the call." }
                        </h1>
                        <p class="mt-4 text-lg text-slate-600">
                            { "Buy a pack of credits, then generate text from the dashboard or from your own scripts with an API key. One credit per call, a clear ledger of every one." }
                        </p>
                        <div class="mt-8 flex flex-wrap gap-3">
                            { ui::button_link(yew::props!(ui::ButtonLinkProps { to: primary_to, children: html! { { primary_label } } })) }
                            if !signed_in {
                                { ui::button_link(yew::props!(ui::ButtonLinkProps { to: Route::Login, kind: ButtonKind::Secondary, children: html! { { "Sign in" } } })) }
                            }
                        </div>
                    </div>
                    <div class="overflow-hidden rounded-xl bg-slate-900 shadow-lg ring-1 ring-slate-800">
                        <div class="flex items-center gap-1.5 border-b border-slate-800 px-4 py-2.5" aria-hidden="true">
                            <span class="size-2.5 rounded-full bg-slate-700" />
                            <span class="size-2.5 rounded-full bg-slate-700" />
                            <span class="size-2.5 rounded-full bg-slate-700" />
                        </div>
                        <pre class="overflow-x-auto p-4 text-xs leading-relaxed text-slate-200 sm:text-sm"><code>
    { "$ curl https://api.example.com/api/generate-text \\\n    -H \"X-API-Key: sk_…\" \\\n    -d '{\"prompt\":\"A tagline for a bakery\"}'\n\n" }<span class="text-emerald-300">{ "{\n  \"generated_text\": \"Fresh from the oven, …\",\n  \"credits\": 99\n}" }</span>
                        </code></pre>
                    </div>
                </section>

                <section aria-labelledby="features-title">
                    <h2 id="features-title" class="sr-only">{ "Features" }</h2>
                    <ul class="grid gap-4 sm:grid-cols-3">
                        { feature("Credits, not invoices", "Top up when you need to. Each call spends one credit, atomically: you never pay twice and never go below zero.") }
                        { feature("API keys for scripts", "Create a key per script or server, see when it was last used, and revoke it in one click.") }
                        { feature("Usage at a glance", "A chart of what you spent and bought over the last 30 days, and a ledger of every change.") }
                    </ul>
                </section>

                <section aria-labelledby="pricing-title">
                    <h2 id="pricing-title" class="text-2xl font-bold tracking-tight text-slate-900">{ "Pricing" }</h2>
                    <p class="mt-1 text-slate-600">{ "Credit packs never expire. Bigger packs cost less per credit." }</p>
                    <div class="mt-6">{ pricing }</div>
                </section>
            </div>
        }
}

fn feature(title: &'static str, text: &'static str) -> Html {
    html! {
        <li class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h3 class="font-semibold text-slate-900">{ title }</h3>
            <p class="mt-1.5 text-sm text-slate-600">{ text }</p>
        </li>
    }
}

/// The packages from `GET /api/credits/packages`, the best value one highlighted (a hook of
/// `Home`, which always shows them, rather than a component of its own: less wasm).
#[hook]
fn use_pricing(signed_in: bool) -> Html {
    let (packages, _) = use_load((), |_| api::packages());
    let list = match packages.as_ref() {
        Load::Loading => {
            return html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Loading prices…" })) } };
        }
        Load::Failed(e) => {
            return html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { format!("Prices are unavailable right now: {e}") } } })) } };
        }
        Load::Ready(list) => list,
    };
    // The middle pack is the one most buyers want: highlight it.
    let featured = list.len() / 2;
    let to = if signed_in {
        Route::Dashboard
    } else {
        Route::SignUp
    };
    html! {
        <ul class="grid gap-4 sm:grid-cols-3" data-testid="pricing">
            { for list.iter().enumerate().map(|(i, p)| {
                let hot = i == featured && list.len() > 2;
                html! {
                    <li class={classes!("relative", "flex", "flex-col", "rounded-xl", "bg-white", "p-6", "shadow-sm", if hot { "ring-2 ring-brand-600" } else { "ring-1 ring-slate-200" })}>
                        if hot {
                            <p class="absolute -top-3 left-6 rounded-full bg-brand-600 px-2.5 py-0.5 text-xs font-semibold text-white">{ "Most popular" }</p>
                        }
                        <h3 class="text-sm font-semibold capitalize text-slate-700">{ &p.id }</h3>
                        <p class="mt-3 text-3xl font-bold tracking-tight text-slate-900">{ format::price(p.price_cents, &p.currency) }</p>
                        <p class="mt-1 text-sm text-slate-600">{ format!("{} credits", format::int(p.credits)) }</p>
                        <p class="text-xs text-slate-500">{ format::unit_price(p.price_cents, p.credits, &p.currency) }</p>
                        { ui::button_link(yew::props!(ui::ButtonLinkProps { to: to.clone(), class: "mt-6", kind: if hot { ButtonKind::Primary } else { ButtonKind::Secondary }, children: html! { { if signed_in { "Buy from the dashboard" } else { "Get started" } } } })) }
                    </li>
                }
            }) }
        </ul>
    }
}
