//! The figures behind the targets, one table per database, with the ledger page's query plans.

use std::{fmt::Write as _, time::Duration};

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
    let mut rows = Vec::new();
    // A row; its latency cells are empty without a load.
    let mut add = |what: &str, figure: String, load: Option<&LoadResult>, notes: String| {
        let [p50, p99, max] =
            load.map_or_else(Default::default, |l| [l.p50_ms, l.p99_ms, l.max_ms].map(ms));
        rows.push([what.to_owned(), figure, p50, p99, max, notes]);
    };
    let (paid, scaled, logins) = (m.paid.per_sec(), m.scaled.per_sec(), m.logins.per_sec(200));
    let (ceiling, raw) = (m.ceiling.per_sec(), m.ceiling_raw.per_sec());
    let (threads, raw_threads) = (m.ceiling.threads, m.ceiling_raw.threads);
    let (debits, secs) = (m.ceiling.debits, run.settings.phase.as_secs());
    let ideal = run.machine.cores as f64 / m.bcrypt_seconds;
    let start = |d: &Duration| format!("{:.0}", millis(*d));
    let starts: Vec<String> = m.starts.iter().map(start).collect();
    let (count, starts, median) = (starts.len(), starts.join(", "), ms(median_ms(&m.starts)));
    let [users, keys, ledger_rows] =
        [m.seed.users, m.seed.keys, m.seed.ledger_rows].map(|n| rate(n as f64));

    let what = "start to ready (spawn to first 200 from /readyz, empty database, migrations \
                included)";
    let (figure, notes) = (
        format!("median {median}"),
        format!("{count} starts: {starts} ms"),
    );
    add(what, figure, None, notes);
    let what = format!(
        "in-process debit ceiling: `Db::write_blocking(LedgerRow::post)`, {threads} threads, no HTTP"
    );
    let (figure, notes) = (
        format!("{}/s", rate(ceiling)),
        format!("{debits} debits in {secs} s"),
    );
    add(&what, figure, None, notes);
    let what = format!("in-process debit on raw connections (no pool), {raw_threads} thread(s)");
    let notes = format!("the pool path runs at {} of this", pct(ceiling / raw));
    add(&what, format!("{}/s", rate(raw)), None, notes);
    let what =
        format!("paid calls `POST /api/generate-text`, X-API-Key, {CONNECTIONS} connections");
    let (load, ledger, of_ceiling) = (&m.paid.load, &m.paid.ledger.note, pct(paid / ceiling));
    let notes = format!(
        "{of_ceiling} of the ceiling; {}; ledger: {ledger}",
        anomalies(load)
    );
    add(
        &what,
        format!("{} successes/s", rate(paid)),
        Some(load),
        notes,
    );
    let what = format!(
        "paid calls from the bench's own hyper load (oha repeats one request), X-API-Key, \
         {CONNECTIONS} connections"
    );
    let plain = &m.paid_hyper;
    let notes = format!(
        "{} of oha's figure above; {}",
        pct(plain.per_sec(200) / paid),
        anomalies(plain)
    );
    let figure = format!("{} successes/s", rate(plain.per_sec(200)));
    add(&what, figure, Some(plain), notes);
    let what = "the same with a key scoped to `paid:call`, with daily, monthly and rate limits, \
                and an `Idempotency-Key` per request";
    let (keyed, keyed_ledger) = (&m.paid_keyed, &m.paid_keyed.ledger.note);
    let notes = format!(
        "{} of the plain hyper figure; {}; ledger: {keyed_ledger}",
        pct(keyed.per_sec() / plain.per_sec(200)),
        anomalies(&keyed.load)
    );
    let figure = format!("{} successes/s", rate(keyed.per_sec()));
    add(what, figure, Some(&keyed.load), notes);
    let what = format!("`GET /api/me`, Bearer, {CONNECTIONS} connections");
    let figure = format!("{} req/s", rate(m.me.per_sec(200)));
    add(&what, figure, Some(&m.me), anomalies(&m.me));
    let what = format!(
        "`GET /api/me`, Bearer, {ME_USERS} users at once ({ME_USERS} oha processes x {} \
         connections, a token each)",
        CONNECTIONS / ME_USERS
    );
    let figure = format!("{} req/s", rate(m.me_users.per_sec(200)));
    let notes = format!(
        "{}; latencies of the slowest process",
        anomalies(&m.me_users)
    );
    add(&what, figure, Some(&m.me_users), notes);
    let what = format!("one bcrypt hash, cost {BCRYPT_COST}, in-process");
    let figure = format!("{:.0} ms", m.bcrypt_seconds * 1000.0);
    add(
        &what,
        figure,
        None,
        format!("cores / bcrypt time = {ideal:.1} logins/s"),
    );
    let what = format!("logins `POST /api/auth/login`, {LOGIN_CONNECTIONS} at once");
    let (of_ideal, anomalies_) = (pct(logins / ideal), anomalies(&m.logins));
    let notes = format!("{of_ideal} of cores / bcrypt time; {anomalies_}");
    add(
        &what,
        format!("{logins:.1} logins/s"),
        Some(&m.logins),
        notes,
    );
    let what = format!("`/healthz` beside those logins, {HEALTHZ_PROBE_RATE} req/s probe");
    let figure = format!("{} answered", m.healthz.answered());
    add(&what, figure, Some(&m.healthz), anomalies(&m.healthz));
    let what = format!("double-spend probe, {} rounds", m.probe.len());
    let notes = "successes/calls per round".to_owned();
    add(&what, probe_summary(&m.probe), None, notes);
    let notes = format!("{users} users, {keys} keys, {ledger_rows} ledger rows");
    let figure = format!("{:.1} s", m.seed.seconds);
    add("scale seed in SQL", figure, None, notes);
    let (load, ledger) = (&m.scaled.load, &m.scaled.ledger.note);
    let change = (scaled / paid - 1.0) * 100.0;
    let notes = format!(
        "{change:+.1}% vs empty; {}; ledger: {ledger}",
        anomalies(load)
    );
    let figure = format!("{} successes/s", rate(scaled));
    add("paid calls after the scale seed", figure, Some(load), notes);
    let what = "ledger page (50 rows, keyset), in-process, seeded user / hot user";
    let figure = format!("{:.0} µs / {:.0} µs", m.page_us[0], m.page_us[1]);
    add(what, figure, None, "median of 200".to_owned());
    let what = "peak resident memory of the server (VmHWM, end of the run)";
    let figure = format!("{:.1} MiB", m.peak_rss_kib as f64 / 1024.0);
    add(what, figure, None, String::new());
    if let Some(rep) = &m.replicas {
        let per_replica = |l: &LoadResult| format!("{}/s", rate(l.per_sec(200)));
        let per_replica: Vec<String> = rep.loads.iter().map(per_replica).collect();
        let half = CONNECTIONS / 2;
        let what = format!("two replicas, paid calls on one hot user ({half} connections each)");
        let (per_replica, ledger) = (per_replica.join(" + "), &rep.ledger.note);
        let notes = format!("per replica: {per_replica}; ledger: {ledger}");
        add(
            &what,
            format!("{} successes/s", rate(rep.per_sec())),
            None,
            notes,
        );
        let (figure, notes) = (
            probe_summary(&rep.probe),
            "calls alternate between the replicas",
        );
        add(
            "two replicas, double-spend probe",
            figure,
            None,
            notes.to_owned(),
        );
    }
    table(out, &HEADER, rows);

    let explain = match kind {
        Backend::Sqlite => "EXPLAIN QUERY PLAN",
        Backend::Postgres => "EXPLAIN",
    };
    let page = ledger_page_sql(0, 0)
        .replace("organization_id = 0", "organization_id = ?")
        .replace("id < 0", "id < ?");
    let _ = writeln!(out, "\nLedger page plans (`{explain}` of `{page}`):\n\n```");
    let titles = [
        "a seeded user's personal organisation (10 rows)",
        "the hot paid-call user's personal organisation",
    ];
    for (title, plan) in titles.iter().zip(&m.plans) {
        let _ = writeln!(out, "-- {title}");
        for line in plan {
            let _ = writeln!(out, "{line}");
        }
    }
    out.push_str("```\n");
}
