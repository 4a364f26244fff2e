//! The credit packages with a "Buy" button each. In dev mode the purchase credits at once; with
//! Stripe the browser goes to the checkout page.

use shared::dto::{CreditPackage, PurchaseResponse};
use yew::{platform::spawn_local, prelude::*};

use super::{Alert, AlertKind, Button, ButtonKind, Loading};
use crate::{
    api, format,
    hooks::{Load, use_load},
};

#[derive(Properties, PartialEq)]
pub struct BuyCreditsProps {
    /// Called after credits were added (to reload the chart and the ledger).
    pub on_bought: Callback<()>,
}

#[function_component(BuyCredits)]
pub fn buy_credits(props: &BuyCreditsProps) -> Html {
    let (packages, reload) = use_load((), |_| api::packages());
    let buying = use_state(|| None::<String>);
    let outcome = use_state(|| None::<Result<String, String>>);

    let buy = {
        let (buying, outcome, on_bought) =
            (buying.clone(), outcome.clone(), props.on_bought.clone());
        Callback::from(move |package: CreditPackage| {
            if buying.is_some() {
                return;
            }
            buying.set(Some(package.id.clone()));
            outcome.set(None);
            let (buying, outcome, on_bought) = (buying.clone(), outcome.clone(), on_bought.clone());
            spawn_local(async move {
                match api::purchase(&package.id).await {
                    Ok(PurchaseResponse::Credited { credits }) => {
                        outcome.set(Some(Ok(format!(
                            "Added {} credits. Your balance is now {}.",
                            format::int(package.credits),
                            format::int(credits)
                        ))));
                        on_bought.emit(());
                    }
                    Ok(PurchaseResponse::Checkout { checkout_url }) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().assign(&checkout_url);
                        }
                    }
                    Err(e) => outcome.set(Some(Err(e.message))),
                }
                buying.set(None);
            });
        })
    };

    let body = match packages.as_ref() {
        Load::Loading => html! { <Loading label="Loading packages…" /> },
        Load::Failed(e) => html! {
            <Alert kind={AlertKind::Error}>
                { format!("Could not load the packages: {e}") }
                <button type="button" class="ml-2 font-semibold underline" onclick={reload.reform(|_| ())}>{ "Retry" }</button>
            </Alert>
        },
        Load::Ready(list) if list.is_empty() => html! {
            <p class="text-sm text-slate-500">{ "No credit packages are on sale right now." }</p>
        },
        Load::Ready(list) => html! {
            <ul class="grid gap-3 sm:grid-cols-3">
                { for list.iter().map(|p| {
                    let title_id = format!("package-{}-title", p.id);
                    let busy = buying.as_deref() == Some(p.id.as_str());
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
                            <Button kind={ButtonKind::Secondary} class="mt-4" {onclick} {busy}
                                disabled={buying.is_some()} describedby={AttrValue::from(title_id)}>
                                { "Buy" }
                            </Button>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <div class="space-y-3">
            { body }
            { match outcome.as_ref() {
                Some(Ok(message)) => html! { <Alert kind={AlertKind::Success}>{ message }</Alert> },
                Some(Err(message)) => html! { <Alert kind={AlertKind::Error}>{ message }</Alert> },
                None => html! {},
            } }
        </div>
    }
}
