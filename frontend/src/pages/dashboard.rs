//! /dashboard: balance, buying credits, the paid route, usage over 30 days, the ledger.

use serde::Deserialize;
use yew::{platform::spawn_local, prelude::*};
use yew_router::prelude::*;

use crate::{
    api,
    app::Route,
    components::{
        buy_credits::BuyCredits,
        generate_form::GenerateForm,
        ledger::Ledger,
        ui::{Alert, AlertKind, Card, PageHeader},
        usage_chart::Usage,
    },
    hooks::{use_session, use_title},
};

/// `?checkout=success|cancelled`: where the payment provider's checkout page sends the buyer back.
#[derive(Debug, Default, Deserialize)]
struct CheckoutReturn {
    checkout: Option<String>,
}

#[function_component(Dashboard)]
pub fn dashboard() -> Html {
    use_title("Dashboard");
    let session = use_session();
    // Bumped whenever the balance changes here, so the chart and the ledger load again.
    let version = use_state(|| 0u32);
    let changed = {
        let version = version.clone();
        Callback::from(move |_| version.set(version.wrapping_add(1)))
    };
    // The balance may have moved since sign-in (API keys spend it too): read it fresh.
    use_effect_with((), |_| {
        spawn_local(async {
            let _ = api::balance().await;
        })
    });
    let checkout = use_location()
        .and_then(|l| l.query::<CheckoutReturn>().ok())
        .and_then(|q| q.checkout);
    let Some(user) = session.user() else {
        return html! {};
    };
    html! {
        <div class="space-y-6">
            <PageHeader title="Dashboard">{ format!("Signed in as {}", user.email) }</PageHeader>
            { match checkout.as_deref() {
                Some("success") => html! {
                    <Alert kind={AlertKind::Success}>
                        { "Payment received. Your credits appear here as soon as the payment provider confirms it, usually within seconds." }
                    </Alert>
                },
                Some("cancelled") => html! {
                    <Alert kind={AlertKind::Info}>{ "Checkout cancelled: you were not charged." }</Alert>
                },
                _ => html! {},
            } }
            <div class="grid gap-6 lg:grid-cols-3">
                <Card id="balance" title="Credit balance" class="flex flex-col">
                    <p class="flex items-baseline gap-2" aria-live="polite">
                        <span data-testid="credit-balance" class="text-5xl font-bold tracking-tight tabular-nums text-slate-900">
                            { user.credits }
                        </span>
                        <span class="text-sm font-medium text-slate-500">{ "credits" }</span>
                    </p>
                    <p class="mt-3 text-sm text-slate-600">
                        { "Each call to the generate route costs 1 credit, from here or with an " }
                        <Link<Route> to={Route::Keys} classes="font-semibold text-brand-700 hover:underline">{ "API key" }</Link<Route>>
                        { "." }
                    </p>
                    <a href="#buy" class="mt-auto pt-4 text-sm font-semibold text-brand-700 hover:underline">
                        { "Buy more credits ↓" }
                    </a>
                </Card>
                <Card id="generate" title="Generate text" subtitle="Try the paid route from here." class="lg:col-span-2">
                    <GenerateForm on_generated={changed.clone()} />
                </Card>
            </div>
            <Card id="buy" title="Buy credits" subtitle="Credits are added to your balance at once.">
                <BuyCredits on_bought={changed} />
            </Card>
            <div class="grid gap-6 lg:grid-cols-5">
                <Card id="usage" title="Usage" subtitle="Credits per day (UTC)" class="lg:col-span-2">
                    <Usage version={*version} />
                </Card>
                <Card id="ledger" title="Ledger" subtitle="Every change to your balance, newest first." class="lg:col-span-3">
                    <Ledger version={*version} />
                </Card>
            </div>
        </div>
    }
}
