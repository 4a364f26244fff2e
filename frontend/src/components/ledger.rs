//! The credit ledger: every purchase, grant, refund and spend, newest first.

use yew::prelude::*;

use super::{Alert, AlertKind, Button, ButtonKind, Loading};
use crate::{
    api, format,
    hooks::{Load, use_load},
};

const PAGE: i64 = 10;
const MAX: i64 = shared::dto::LEDGER_MAX_LIMIT;

#[derive(Properties, PartialEq)]
pub struct LedgerProps {
    /// Changes when the balance changed on this page, to load again.
    pub version: u32,
}

#[function_component(Ledger)]
pub fn ledger(props: &LedgerProps) -> Html {
    let limit = use_state(|| PAGE);
    let (entries, _) = use_load((props.version, *limit), |(_, limit)| {
        api::ledger(limit, None)
    });
    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set((*limit + PAGE * 2).min(MAX)))
    };
    match entries.as_ref() {
        Load::Loading => html! { <Loading label="Loading the ledger…" /> },
        Load::Failed(e) => html! { <Alert kind={AlertKind::Error}>{ e.to_string() }</Alert> },
        Load::Ready(list) if list.is_empty() => html! {
            <p class="text-sm text-slate-500">{ "Nothing yet: buy a package to get started." }</p>
        },
        Load::Ready(list) => html! {
            <div>
                <div class="-mx-5 overflow-x-auto sm:mx-0">
                    <table class="min-w-full text-left text-sm">
                        <caption class="sr-only">{ "Credit ledger, newest first" }</caption>
                        <thead class="text-xs uppercase tracking-wide text-slate-500">
                            <tr>
                                <th scope="col" class="px-5 py-2 font-medium sm:px-3">{ "When" }</th>
                                <th scope="col" class="px-3 py-2 font-medium">{ "What" }</th>
                                <th scope="col" class="px-5 py-2 text-right font-medium sm:px-3">{ "Change" }</th>
                                <th scope="col" class="hidden px-5 py-2 text-right font-medium sm:table-cell sm:px-3">{ "Balance" }</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100" data-testid="ledger">
                            { for list.iter().map(|entry| html! {
                                <tr>
                                    <td class="px-5 py-2 text-slate-500 sm:whitespace-nowrap sm:px-3">{ format::datetime(&entry.created_at) }</td>
                                    <td class="px-3 py-2 text-slate-800">{ format::reason(&entry.reason) }</td>
                                    <td class={classes!("whitespace-nowrap", "px-5", "sm:px-3", "py-2", "text-right", "font-medium", "tabular-nums",
                                        if entry.delta > 0 { "text-emerald-700" } else { "text-slate-700" })}>
                                        { format::delta(entry.delta) }
                                    </td>
                                    <td class="hidden whitespace-nowrap px-5 py-2 text-right tabular-nums text-slate-700 sm:table-cell sm:px-3">{ format::int(entry.balance_after) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if list.len() as i64 >= *limit && *limit < MAX {
                    <Button kind={ButtonKind::Ghost} class="mt-3" onclick={more}>{ "Show more" }</Button>
                }
            </div>
        },
    }
}
