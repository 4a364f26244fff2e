//! Credits bought and spent per UTC day over the last 30 days, as two small inline-SVG bar
//! charts. Each has its own scale: a 1,000-credit purchase would flatten a day of 3 calls.

use crate::components::ui;
use shared::{
    dto::{PageQuery, UsageDay, UsageQuery},
    validate::PAGE_MAX_LIMIT,
};
use yew::prelude::*;

use super::ui::{AlertKind, Select};
use crate::{
    api, format,
    hooks::{Load, use_load, use_value},
};

pub const DAYS: i64 = 30;

/// Loads `/api/credits/usage?days=30` and draws it; loads again when `version` (bumped when the
/// balance changed on the page) changes. `by_key` (a role that manages keys, the only one that
/// may list them) adds a "Key" select above the chart: the usage of one key (`key_id`) or of all.
/// A hook of the dashboard rather than a component of its own: less wasm.
#[hook]
pub fn use_usage(version: u32, by_key: bool) -> Html {
    // The key chosen, as the select's value: empty for all keys.
    let chosen = use_value(AttrValue::default());
    // A role that lost the right to list keys sees all of them again.
    let key_id = chosen.parse::<i64>().ok().filter(|_| by_key);
    let (days, _) = use_load((version, key_id), |(_, key_id)| {
        api::usage(UsageQuery {
            days: Some(DAYS),
            key_id,
        })
    });
    // The first page of keys (the API's largest) is choice enough; none asked for without the
    // right to list them.
    let (keys, _) = use_load(by_key, |by_key| async move {
        if by_key {
            let first = PageQuery {
                limit: Some(PAGE_MAX_LIMIT),
                before: None,
            };
            api::keys(first).await
        } else {
            Ok(Vec::new())
        }
    });
    let filter = by_key.then(|| {
        // Until the keys are in (or if they cannot be read): all keys only.
        let listed = match keys.as_ref() {
            Load::Ready(keys) => keys.as_slice(),
            _ => &[],
        };
        let options = std::iter::once((AttrValue::Static(""), AttrValue::Static("All keys")))
            .chain(listed.iter().map(|k| {
                (
                    AttrValue::from(k.id.to_string()),
                    AttrValue::from(format!("{} ({}…)", k.name, k.prefix)),
                )
            }))
            .collect::<Vec<_>>();
        let onchange = {
            let chosen = chosen.clone();
            Callback::from(move |id: String| chosen.set(AttrValue::from(id)))
        };
        html! { <Select id="usage-key" label="Key" {options} value={(*chosen).clone()} {onchange} class="mb-4 sm:w-64" /> }
    });
    html! { <>{ filter }{ chart(&days) }</> }
}

/// The usage as loaded: the chart, or why it is not there yet.
fn chart(days: &Load<Vec<UsageDay>>) -> Html {
    match days {
        Load::Loading => {
            html! { { ui::loading(yew::props!(ui::LoadingProps { label: "Loading usage…" })) } }
        }
        Load::Failed(e) => {
            html! { { ui::alert(yew::props!(ui::AlertProps { kind: AlertKind::Error, children: html! { { e.to_string() } } })) } }
        }
        Load::Ready(days) => html! { <UsageChart days={days.clone()} /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct UsageChartProps {
    pub days: Vec<UsageDay>,
}

#[derive(Clone, Copy)]
enum Series {
    Bought,
    Spent,
}

impl Series {
    fn value(self, day: &UsageDay) -> i64 {
        match self {
            Series::Bought => day.purchased,
            Series::Spent => day.spent,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Series::Bought => "bought",
            Series::Spent => "spent",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Series::Bought => "fill-emerald-500",
            Series::Spent => "fill-brand-500",
        }
    }
}

#[function_component(UsageChart)]
pub fn usage_chart(props: &UsageChartProps) -> Html {
    let days = &props.days;
    let total = |s: Series| days.iter().map(|d| s.value(d)).sum::<i64>();
    let (spent, bought) = (total(Series::Spent), total(Series::Bought));
    let (first, last) = (days.first(), days.last());
    html! {
        <div data-testid="usage-chart">
            <p class="mb-4 text-sm text-slate-600">
                { "Last 30 days: " }
                <strong class="font-semibold text-slate-900" data-testid="usage-spent">{ format::int(spent) }</strong>
                { " spent · " }
                <strong class="font-semibold text-slate-900" data-testid="usage-bought">{ format::int(bought) }</strong>
                { " bought" }
            </p>
            <div class="space-y-5">
                { panel(days, Series::Spent) }
                { panel(days, Series::Bought) }
            </div>
            if let (Some(first), Some(last)) = (first, last) {
                <div class="mt-1 flex justify-between text-xs text-slate-500" aria-hidden="true">
                    <span>{ format::day(&first.date) }</span>
                    <span>{ format::day(&last.date) }</span>
                </div>
            }
            <table class="sr-only">
                <caption>{ "Credits per day (UTC), days with activity" }</caption>
                <thead><tr><th scope="col">{ "Day" }</th><th scope="col">{ "Spent" }</th><th scope="col">{ "Bought" }</th></tr></thead>
                <tbody>
                    { for days.iter().filter(|d| d.spent > 0 || d.purchased > 0).map(|d| html! {
                        <tr><td>{ format::day(&d.date) }</td><td>{ d.spent }</td><td>{ d.purchased }</td></tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// One series: a caption with its peak, and the bars (scaled to that peak).
fn panel(days: &[UsageDay], series: Series) -> Html {
    const SLOT: f64 = 10.0;
    const HEIGHT: f64 = 60.0;
    let peak = days.iter().map(|d| series.value(d)).max().unwrap_or(0);
    let width = (days.len().max(1) as f64) * SLOT;
    let bars = days.iter().enumerate().map(|(i, day)| {
        let value = series.value(day);
        // Empty days keep a hairline, so the 30-day grid stays visible.
        let (h, class) = if value > 0 && peak > 0 {
            let h = (value as f64 / peak as f64) * (HEIGHT - 2.0);
            (h.max(2.0), series.colour())
        } else {
            (0.8, "fill-slate-200")
        };
        let x = i as f64 * SLOT + 1.5;
        html! {
            <rect x={x.to_string()} y={(HEIGHT - h).to_string()} width={(SLOT - 3.0).to_string()}
                height={h.to_string()} rx="1" class={class} data-value={value.to_string()}>
                <title>{ format!("{}: {} {}", format::day(&day.date), format::int(value), series.label()) }</title>
            </rect>
        }
    });
    let summary = format!(
        "Credits {} per day over the last {} days; the busiest day {} {}.",
        series.label(),
        days.len(),
        series.label(),
        format::int(peak)
    );
    html! {
        <figure>
            <figcaption class="mb-1 flex items-baseline justify-between text-xs">
                <span class="font-medium text-slate-700">
                    { match series { Series::Bought => "Bought per day", Series::Spent => "Spent per day" } }
                </span>
                <span class="text-slate-500">{ format!("peak {}", format::int(peak)) }</span>
            </figcaption>
            <svg viewBox={format!("0 0 {width} {HEIGHT}")} preserveAspectRatio="none"
                class="h-20 w-full" role="img" aria-label={summary}
                data-testid={format!("usage-{}-bars", series.label())}>
                { for bars }
            </svg>
        </figure>
    }
}
