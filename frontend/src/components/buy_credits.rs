//! The credit packages with a "Buy" button each. In dev mode the purchase credits at once; with
//! Stripe the browser goes to the checkout page.

use crate::components::ui;
use crate::hooks::use_value;
use shared::dto::{CreditPackage, PurchaseResponse};
use yew::prelude::*;

use super::ui::{AlertKind, ButtonKind};
use crate::{
    api,
    api::ApiError,
    format,
    hooks::{Load, use_load, use_submit},
};

#[derive(Properties, PartialEq)]
pub struct BuyCreditsProps {
    /// Called after credits were added (to reload the chart and the ledger).
    pub on_bought: Callback<()>,
}

#[function_component(BuyCredits)]
pub fn buy_credits(props: &BuyCreditsProps) -> Html {
    let (packages, reload) = use_load((), |_| api::packages());
    // The package being bought (its button shows the spinner), and what the last purchase added.
    let chosen = use_value(None::<String>);
    let bought = use_value(None::<String>);
    let purchase = use_submit(
        (bought.clone(), props.on_bought.clone()),
        |(bought, on_bought), package: CreditPackage| async move {
            match api::purchase(&package.id).await? {
                PurchaseResponse::Credited { credits } => {
                    bought.set(Some(format!(
                        "Added {} credits. Your balance is now {}.",
                        format::int(package.credits),
                        format::int(credits)
                    )));
                    on_bought.emit(());
                }
                PurchaseResponse::Checkout { checkout_url } => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().assign(&checkout_url);
                    }
                }
            }
            Ok::<_, ApiError>(())
        },
    );
    let buy = {
        let (purchase, chosen, bought) = (purchase.clone(), chosen.clone(), bought.clone());
        Callback::from(move |package: CreditPackage| {
            if purchase.busy() {
                return;
            }
            chosen.set(Some(package.id.clone()));
            bought.set(None);
            purchase.run(package);
        })
    };

    let body = match packages.as_ref() {
        Load::Loading => {
            html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Loading packages…" })) } }
        }
        Load::Failed(e) => html! {
            { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { <>{ format!("Could not load the packages: {e}") }
                <button type="button" class="ml-2 font-semibold underline" onclick={reload.reform(|_| ())}>{ "Retry" }</button></> } })) }
        },
        Load::Ready(list) if list.is_empty() => html! {
            <p class="text-sm text-slate-500">{ "No credit packages are on sale right now." }</p>
        },
        Load::Ready(list) => html! {
            <ul class="grid gap-3 sm:grid-cols-3">
                { for list.iter().map(|p| {
                    let title_id = format!("package-{}-title", p.id);
                    let busy = purchase.busy() && chosen.as_deref() == Some(p.id.as_str());
                    let onclick = { let (buy, p) = (buy.clone(), p.clone()); Callback::from(move |_| buy.emit(p.clone())) };
                    html! {
                        <li class="flex flex-col rounded-lg border border-slate-200 p-4">
                            <p id={title_id.clone()} class="text-sm font-semibold text-slate-900">
                                { format!("{} credits", format::int(p.credits)) }
                                <span class="sr-only">{ format!(" for {}", format::price(p.price_cents, &p.currency)) }</span>
                            </p>
                            <p class="mt-1 text-2xl font-bold tracking-tight" aria-hidden="true">
                                { format::price(p.price_cents, &p.currency) }
                            </p>
                            <p class="text-xs text-slate-500">{ format::unit_price(p.price_cents, p.credits, &p.currency) }</p>
                            { ui::button(yew::props!(ui::ButtonProps { kind: ButtonKind::Secondary, class: "mt-4", onclick, busy, disabled: purchase.busy(), describedby: AttrValue::from(title_id), children: html! { { "Buy" } } })) }
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <div class="space-y-3">
            { body }
            if let Some(message) = bought.as_ref() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Success, children: html! { { message } } })) }
            }
            if let Some(e) = purchase.error() {
                { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) }
            }
        </div>
    }
}
