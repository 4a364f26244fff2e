//! The targets: each goal, what was measured against it, and the verdict.

use std::fmt::Write as _;

use test_support::Backend;

use crate::{
    markdown::{median_ms, millis, ms, pct, rate},
    measured::{Measured, ProbeRound},
    report::Run,
};

const EXACTLY_B: &str = "exactly B succeed, every round";

/// In Markdown: a miss stands out.
fn verdict(pass: bool) -> &'static str {
    if pass { "pass" } else { "**MISS**" }
}

/// Every target as a row (database, target, goal, measured, verdict): database by database,
/// then the SPA's.
pub fn targets(run: &Run) -> Vec<[String; 5]> {
    let mut rows = Vec::new();
    for (kind, result) in &run.results {
        let mut add = |what: &str, goal: &str, measured: String, pass: bool| {
            rows.push([kind.name(), what, goal, &measured, verdict(pass)].map(str::to_owned));
        };
        match result {
            Ok(m) => database_targets(&mut add, run, *kind, m),
            Err(e) => {
                let what = "every target of this database";
                add(what, "the run completes", format!("failed: {e}"), false);
            }
        }
    }
    let first_load = "first load transferred".to_owned();
    let [what, measured, verdict] = match &run.spa {
        Ok(Some(spa)) => {
            let total = spa.transferred_total();
            let what = format!("{first_load} (Brotli copies where built, else gzip -9)");
            let measured = format!("{:.1} KB", total as f64 / 1000.0);
            [what, measured, verdict(total <= 250_000).to_owned()]
        }
        Ok(None) => [
            first_load,
            "not built (no dist/index.html)".into(),
            NOT_MEASURED.into(),
        ],
        Err(e) => [first_load, format!("error: {e}"), NOT_MEASURED.to_owned()],
    };
    let spa = "SPA".to_owned();
    rows.push([spa, what, "<= 250 KB".to_owned(), measured, verdict]);
    rows
}

const NOT_MEASURED: &str = "not measured";

/// `add(what, goal, measured, pass)` for each target of one database.
fn database_targets(
    add: &mut impl FnMut(&str, &str, String, bool),
    run: &Run,
    kind: Backend,
    m: &Measured,
) {
    let (paid, ceiling, p99) = (m.paid.per_sec(), m.ceiling.per_sec(), m.paid.load.p99_ms);
    let of_ceiling = pct(paid / ceiling);
    if kind == Backend::Sqlite {
        let what = "paid calls, X-API-Key, 32 connections";
        add(what, ">= 10,000 successes/s", rate(paid), paid >= 10_000.0);
        add("paid calls p99", "<= 10 ms", ms(p99), p99 <= 10.0);
        let measured = format!("{of_ceiling} of {}/s", rate(ceiling));
        let what = "paid calls vs in-process ceiling";
        add(what, ">= 50%", measured, paid >= 0.5 * ceiling);
    } else {
        let measured = format!("{of_ceiling} ({}/s of {}/s)", rate(paid), rate(ceiling));
        let what = "paid calls, one hot user, vs in-process ceiling";
        add(what, ">= 70%", measured, paid >= 0.7 * ceiling);
    }
    let (keyed, plain) = (m.paid_keyed.per_sec(), m.paid_hyper.per_sec(200));
    let change = keyed / plain - 1.0;
    let measured = format!(
        "{:+.1}% ({}/s vs {}/s)",
        change * 100.0,
        rate(keyed),
        rate(plain)
    );
    let what = "paid calls with a scoped, limited key and an Idempotency-Key each, vs plain paid \
                calls (both from hyper)";
    // The target is SQLite's; PostgreSQL's figure is reported beside it.
    let goal = if kind == Backend::Sqlite {
        "within 15%"
    } else {
        "reported"
    };
    add(
        what,
        goal,
        measured,
        kind != Backend::Sqlite || change >= -0.15,
    );
    let what = "paid calls: every success is one debit row, balance = sum of ledger";
    let exact = m.paid.ledger.exact && m.paid_keyed.ledger.exact && m.scaled.ledger.exact;
    add(what, "exact", m.paid.ledger.note.clone(), exact);
    let me = m.me.per_sec(200);
    let what = "GET /api/me, Bearer, 32 connections";
    add(what, ">= 30,000 req/s", rate(me), me >= 30_000.0);
    let (p99, answered) = (m.healthz.p99_ms, m.healthz.count(200) > 0);
    let what = "/healthz p99 while 16 logins (cost 12) run";
    add(what, "<= 10 ms", ms(p99), p99 <= 10.0 && answered);
    let logins = m.logins.per_sec(200);
    let ideal = run.machine.cores as f64 / m.bcrypt_seconds;
    let measured = format!("{} ({logins:.1}/s of {ideal:.1}/s)", pct(logins / ideal));
    let what = "logins/s at cost 12 vs cores / bcrypt time";
    add(what, ">= 90%", measured, logins >= 0.9 * ideal);
    let mib = m.peak_rss_kib as f64 / 1024.0;
    let what = "peak resident memory of the server (VmHWM)";
    add(what, "<= 40 MiB", format!("{mib:.1} MiB"), mib <= 40.0);
    let start = median_ms(&m.starts);
    let what = "start to ready, empty database (median)";
    add(what, "<= 100 ms", ms(start), start <= 100.0);
    let scaled = m.scaled.per_sec();
    let change = scaled / paid - 1.0;
    let (percent, scaled_rate, paid_rate) = (change * 100.0, rate(scaled), rate(paid));
    let measured = format!("{percent:+.1}% ({scaled_rate}/s vs {paid_rate}/s)");
    let what = "paid calls/s with the scale seed vs empty";
    add(what, "within 15%", measured, change.abs() <= 0.15);
    let indexed = m.pages_read_through_an_index();
    let measured = if indexed { "yes" } else { "no (see plans)" }.to_owned();
    let what = "ledger pages read through an index";
    add(what, "no Seq Scan, no Sort", measured, indexed);
    let b = run.settings.probe_balance;
    let what = format!("double-spend probe: B={b} credits, B+100 calls at once");
    let (summary, exact) = probe(&m.probe);
    add(&what, EXACTLY_B, summary, exact);
    if let Some(rep) = &m.replicas {
        let starts: Vec<String> = rep.starts.iter().map(|d| ms(millis(*d))).collect();
        let what = "two replicas started together both come up";
        add(what, "both ready", starts.join(" and "), true);
        let (summary, exact) = probe(&rep.probe);
        let what = "double-spend probe through two replicas";
        add(what, EXACTLY_B, summary, exact);
        let what = "two replicas loaded together: ledger exact";
        add(what, "exact", rep.ledger.note.clone(), rep.ledger.exact);
    }
}

/// The probe's summary, and whether every round was exact.
fn probe(rounds: &[ProbeRound]) -> (String, bool) {
    let exact = !rounds.is_empty() && rounds.iter().all(ProbeRound::exact);
    (probe_summary(rounds), exact)
}

/// `50/150, 50/150, ...`: successes/calls per round, with what went wrong in a round.
pub fn probe_summary(rounds: &[ProbeRound]) -> String {
    let round = |r: &ProbeRound| {
        let mut s = format!("{}/{}", r.ok, r.calls);
        if r.other > 0 {
            let _ = write!(s, " ({} errors)", r.other);
        }
        if r.balance_after != 0 || !r.ledger_consistent {
            let ledger = if r.ledger_consistent {
                "ok"
            } else {
                "INCONSISTENT"
            };
            let _ = write!(s, " (balance {}, ledger {ledger})", r.balance_after);
        }
        s
    };
    rounds.iter().map(round).collect::<Vec<_>>().join(", ")
}
