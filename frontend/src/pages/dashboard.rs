//! /dashboard: balance, buying credits, the paid route, usage over 30 days, the ledger.

use crate::components::ui;
use crate::hooks::use_effect_on;
use crate::hooks::use_value;
use shared::dto::Permission;
use yew::{platform::spawn_local, prelude::*};
use yew_router::prelude::*;

use crate::{
    api,
    app::{Route, query_param},
    components::{
        buy_credits::BuyCredits, generate_form::GenerateForm, ledger::Ledger, ui::AlertKind,
        usage_chart::use_usage,
    },
    format,
    hooks::{use_session, use_title},
};

#[function_component(Dashboard)]
pub fn dashboard() -> Html {
    use_title("Dashboard");
    let session = use_session();
    // Bumped whenever the balance changes here, so the chart and the ledger load again.
    let version = use_value(0u32);
    let changed = {
        let version = version.clone();
        Callback::from(move |_| version.set(version.wrapping_add(1)))
    };
    let usage = use_usage(*version, session.can(Permission::ManageKeys));
    // The balance may have moved since sign-in (API keys spend it too): read it fresh.
    use_effect_on(
        (),
        Box::new(|_: &()| {
            spawn_local(async {
                let _ = api::balance().await;
            })
        }),
    );
    // `?checkout=success|cancelled`: where the payment provider's checkout page sends the buyer
    // back.
    let checkout = use_location().and_then(|l| query_param(l.query_str(), "checkout"));
    let Some(user) = session.user() else {
        return html! {};
    };
    let org = &user.organization;
    // What the role in the organisation allows: buying credits, spending them.
    let (purchase, spend) = (
        session.can(Permission::Purchase),
        session.can(Permission::Spend),
    );
    html! {
        <div class="space-y-6">
            { ui::page_header(yew::props!(ui::PageHeaderProps { title: "Dashboard", context: format::organization(org), children: html! { { format!("Signed in as {}", user.email) } } })) }
            { match checkout.as_deref() {
                Some("success") => html! {
                    { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, children: html! { { "Payment received. Your credits appear here as soon as the payment provider confirms it, usually within seconds." } } })) }
                },
                Some("cancelled") => html! {
                    { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Info, children: html! { { "Checkout cancelled: you were not charged." } } })) }
                },
                _ => html! {},
            } }
            <div class="grid gap-6 lg:grid-cols-3">
                { ui::card(yew::props!(ui::CardProps { id: "balance", title: "Credit balance", class: classes!("flex", "flex-col", (!spend).then_some("lg:col-span-3")), children: html! { <><p class="flex items-baseline gap-2" aria-live="polite">
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
                    if purchase {
                        <a href="#buy" class="mt-auto pt-4 text-sm font-semibold text-brand-700 hover:underline">
                            { "Buy more credits ↓" }
                        </a>
                    }</> } })) }
                if spend {
                    { ui::card(yew::props!(ui::CardProps { id: "generate", title: "Generate text", subtitle: "Try the paid route from here.", class: "lg:col-span-2", children: html! { <><GenerateForm on_generated={changed.clone()} /></> } })) }
                }
            </div>
            if purchase {
                { ui::card(yew::props!(ui::CardProps { id: "buy", title: "Buy credits", subtitle: format!("Credits are added to the balance of {} at once.", org.name), children: html! { <><BuyCredits on_bought={changed} /></> } })) }
            }
            <div class="grid gap-6 lg:grid-cols-5">
                { ui::card(yew::props!(ui::CardProps { id: "usage", title: "Usage", subtitle: "Credits per day (UTC)", class: "lg:col-span-2", children: usage })) }
                { ui::card(yew::props!(ui::CardProps { id: "ledger", title: "Ledger", subtitle: "Every change to your balance, newest first.", class: "lg:col-span-3", children: html! { <><Ledger version={*version} /></> } })) }
            </div>
        </div>
    }
}
