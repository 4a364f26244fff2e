//! The figures behind the targets, one table per database, with the ledger page's query plans.

use std::fmt::Write as _;

use test_support::Backend;

use crate::{
    load::LoadResult,
    markdown::{median_ms, millis, ms, pct, rate, table},
    measured::Measured,
    phases::HEALTHZ_PROBE_RATE,
    report::Run,
    settings::{BCRYPT_COST, CONNECTIONS, LOGIN_CONNECTIONS, ME_USERS},
    sql::ledger_page_sql,
    targets::probe_summary,
};

const HEADER: [&str; 6] = ["measurement", "figure", "p50", "p99", "max", "notes"];

/// A row; its latency cells are empty without a load.
fn row(what: &str, figure: String, load: Option<&LoadResult>, notes: String) -> [String; 6] {
    let [p50, p99, max] =
        load.map_or_else(Default::default, |l| [l.p50_ms, l.p99_ms, l.max_ms].map(ms));
    [what.to_owned(), figure, p50, p99, max, notes]
}

/// Everything that was not a 200 ("all 200" when nothing).
fn anomalies(l: &LoadResult) -> String {
    let a = l.anomalies();
    if a.is_empty() {
        "all 200".to_owned()
    } else {
        a
    }
}

pub fn write(out: &mut String, run: &Run, kind: Backend, m: &Measured) {
    let (paid, ceiling, raw) = (
        m.paid.per_sec(),
        m.ceiling.per_sec(),
        m.ceiling_raw.per_sec(),
    );
    let (paid_rate, ceiling_rate, of_ceiling) = (rate(paid), rate(ceiling), pct(paid / ceiling));
    let (threads, raw_threads) = (m.ceiling.threads, m.ceiling_raw.threads);
    let (debits, secs) = (m.ceiling.debits, run.settings.phase.as_secs());
    let ideal = run.machine.cores as f64 / m.bcrypt_seconds;
    let logins = m.logins.per_sec(200);
    let scaled = m.scaled.per_sec();
    let change = (scaled / paid - 1.0) * 100.0;
    let starts: Vec<String> = m
        .starts
        .iter()
        .map(|d| format!("{:.0}", millis(*d)))
        .collect();
    let (count, starts, median) = (starts.len(), starts.join(", "), ms(median_ms(&m.starts)));
    let seeded = [m.seed.users, m.seed.keys, m.seed.ledger_rows].map(|n| rate(n as f64));
    let [users, keys, ledger_rows] = &seeded;
    let me_users = CONNECTIONS / ME_USERS;
    let mut rows = vec![
        row(
            "start to ready (spawn to first 200 from /readyz, empty database, migrations included)",
            format!("median {median}"),
            None,
            format!("{count} starts: {starts} ms"),
        ),
        row(
            &format!(
                "in-process debit ceiling: `Db::write_blocking(LedgerRow::post)`, {threads} threads, no HTTP"
            ),
            format!("{ceiling_rate}/s"),
            None,
            format!("{debits} debits in {secs} s"),
        ),
        row(
            &format!("in-process debit on raw connections (no pool), {raw_threads} thread(s)"),
            format!("{}/s", rate(raw)),
            None,
            format!("the pool path runs at {} of this", pct(ceiling / raw)),
        ),
        row(
            &format!("paid calls `POST /api/generate-text`, X-API-Key, {CONNECTIONS} connections"),
            format!("{paid_rate} successes/s"),
            Some(&m.paid.load),
            format!(
                "{of_ceiling} of the ceiling; {}; ledger: {}",
                anomalies(&m.paid.load),
                m.paid.ledger.note
            ),
        ),
        row(
            &format!("`GET /api/me`, Bearer, {CONNECTIONS} connections"),
            format!("{} req/s", rate(m.me.per_sec(200))),
            Some(&m.me),
            anomalies(&m.me),
        ),
        row(
            &format!(
                "`GET /api/me`, Bearer, {ME_USERS} users at once ({ME_USERS} oha processes x {me_users} connections, a token each)"
            ),
            format!("{} req/s", rate(m.me_users.per_sec(200))),
            Some(&m.me_users),
            format!(
                "{}; latencies of the slowest process",
                anomalies(&m.me_users)
            ),
        ),
        row(
            &format!("one bcrypt hash, cost {BCRYPT_COST}, in-process"),
            format!("{:.0} ms", m.bcrypt_seconds * 1000.0),
            None,
            format!("cores / bcrypt time = {ideal:.1} logins/s"),
        ),
        row(
            &format!("logins `POST /api/auth/login`, {LOGIN_CONNECTIONS} at once"),
            format!("{logins:.1} logins/s"),
            Some(&m.logins),
            format!(
                "{} of cores / bcrypt time; {}",
                pct(logins / ideal),
                anomalies(&m.logins)
            ),
        ),
        row(
            &format!("`/healthz` beside those logins, {HEALTHZ_PROBE_RATE} req/s probe"),
            format!("{} answered", m.healthz.answered()),
            Some(&m.healthz),
            anomalies(&m.healthz),
        ),
        row(
            &format!("double-spend probe, {} rounds", m.probe.len()),
            probe_summary(&m.probe),
            None,
            "successes/calls per round".to_owned(),
        ),
        row(
            "scale seed in SQL",
            format!("{:.1} s", m.seed.seconds),
            None,
            format!("{users} users, {keys} keys, {ledger_rows} ledger rows"),
        ),
        row(
            "paid calls after the scale seed",
            format!("{} successes/s", rate(scaled)),
            Some(&m.scaled.load),
            format!(
                "{change:+.1}% vs empty; {}; ledger: {}",
                anomalies(&m.scaled.load),
                m.scaled.ledger.note
            ),
        ),
        row(
            "ledger page (50 rows, keyset), in-process, seeded user / hot user",
            format!("{:.0} µs / {:.0} µs", m.page_us[0], m.page_us[1]),
            None,
            "median of 200".to_owned(),
        ),
        row(
            "peak resident memory of the server (VmHWM, end of the run)",
            format!("{:.1} MiB", m.peak_rss_kib as f64 / 1024.0),
            None,
            String::new(),
        ),
    ];
    if let Some(rep) = &m.replicas {
        let per_replica: Vec<String> = rep
            .loads
            .iter()
            .map(|l| format!("{}/s", rate(l.per_sec(200))))
            .collect();
        let (per_replica, note, half) =
            (per_replica.join(" + "), &rep.ledger.note, CONNECTIONS / 2);
        rows.push(row(
            &format!("two replicas, paid calls on one hot user ({half} connections each)"),
            format!("{} successes/s", rate(rep.per_sec())),
            None,
            format!("per replica: {per_replica}; ledger: {note}"),
        ));
        rows.push(row(
            "two replicas, double-spend probe",
            probe_summary(&rep.probe),
            None,
            "calls alternate between the replicas".to_owned(),
        ));
    }
    table(out, &HEADER, rows);

    let explain = if kind == Backend::Sqlite {
        "EXPLAIN QUERY PLAN"
    } else {
        "EXPLAIN"
    };
    let page = ledger_page_sql(0, 0)
        .replace("user_id = 0", "user_id = ?")
        .replace("id < 0", "id < ?");
    let _ = writeln!(out, "\nLedger page plans (`{explain}` of `{page}`):\n\n```");
    let titles = ["a seeded user (10 rows)", "the hot paid-call user"];
    for (title, plan) in titles.iter().zip(&m.plans) {
        let _ = writeln!(out, "-- {title}");
        for line in plan {
            let _ = writeln!(out, "{line}");
        }
    }
    out.push_str("```\n");
}
