//! The credit ledger: every purchase, grant, refund and spend, newest first, a page at a time.

use shared::dto::PageQuery;
use yew::prelude::*;

use crate::{api, format, hooks::use_pages};

/// Rows on first load, then per "Show more".
const FIRST: i64 = 10;
const MORE: i64 = 20;

#[derive(Properties, PartialEq)]
pub struct LedgerProps {
    /// Changes when the balance changed on this page, to load again from the newest entry.
    pub version: u32,
}

#[function_component(Ledger)]
pub fn ledger(props: &LedgerProps) -> Html {
    let pages = use_pages(props.version, FIRST, MORE, |limit, before| {
        api::ledger(PageQuery {
            limit: Some(limit),
            before,
        })
    });
    super::paged_list(
        &pages,
        super::ListText {
            loading: "Loading the ledger…",
            empty: "Nothing yet: buy a package to get started.",
            more: "Show more",
        },
        |rows| {
            html! {
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
                            { for rows.iter().map(|entry| html! {
                                <tr>
                                    <td class="px-5 py-2 text-slate-500 sm:whitespace-nowrap sm:px-3">{ format::datetime(&entry.created_at) }</td>
                                    <td class="px-3 py-2 text-slate-800">{ format::movement(&entry.kind) }</td>
                                    <td class={classes!("whitespace-nowrap", "px-5", "sm:px-3", "py-2", "text-right", "font-medium", "tabular-nums", if entry.delta > 0 { "text-emerald-700" } else { "text-slate-700" })}>
                                        { format::delta(entry.delta) }
                                    </td>
                                    <td class="hidden whitespace-nowrap px-5 py-2 text-right tabular-nums text-slate-700 sm:table-cell sm:px-3">{ format::int(entry.balance_after) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        },
    )
}
