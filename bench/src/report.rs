//! The report: targets with pass/miss, the figures behind them, printed and written to
//! BENCHMARKS.md (rewritten whole on every run).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::{
    load::LoadResult,
    machine::{Machine, Micro, SpaSize},
    phases::{DbResults, ProbeRound},
    settings::{BCRYPT_COST, CONNECTIONS, Kind, LOGIN_CONNECTIONS, ME_USERS, Settings},
};

pub struct Run<'a> {
    pub settings: &'a Settings,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub machine: Machine,
    pub oha_version: String,
    pub results: Vec<(Kind, Result<DbResults, String>)>,
    pub spa: Result<Option<SpaSize>, String>,
    pub micro: Vec<Micro>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Miss,
    NotMeasured,
}

impl Verdict {
    fn of(pass: bool) -> Self {
        if pass { Self::Pass } else { Self::Miss }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Miss => "**MISS**",
            Self::NotMeasured => "not measured",
        }
    }
}

pub struct TargetRow {
    pub scope: String,
    pub what: String,
    pub goal: String,
    pub measured: String,
    pub verdict: Verdict,
}

fn row(scope: &str, what: &str, goal: &str, measured: String, verdict: Verdict) -> TargetRow {
    TargetRow {
        scope: scope.to_owned(),
        what: what.to_owned(),
        goal: goal.to_owned(),
        measured,
        verdict,
    }
}

fn ms(v: f64) -> String {
    if v.is_nan() {
        "n/a".to_owned()
    } else if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn rate(v: f64) -> String {
    let rounded = v.round() as u64;
    let digits = rounded.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn median_ms(values: &[std::time::Duration]) -> f64 {
    let mut v: Vec<f64> = values.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    crate::inprocess::median(&mut v)
}

fn probe_summary(rounds: &[ProbeRound]) -> String {
    rounds
        .iter()
        .map(|r| {
            let mut s = format!("{}/{}", r.ok, r.calls);
            if r.other > 0 {
                s.push_str(&format!(" ({} errors)", r.other));
            }
            if r.balance_after != 0 || !r.ledger_consistent {
                s.push_str(&format!(
                    " (balance {}, ledger {})",
                    r.balance_after,
                    if r.ledger_consistent {
                        "ok"
                    } else {
                        "INCONSISTENT"
                    }
                ));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn targets(run: &Run) -> Vec<TargetRow> {
    let mut rows = Vec::new();
    for (kind, result) in &run.results {
        let scope = kind.name();
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                rows.push(row(
                    scope,
                    "every target of this database",
                    "the run completes",
                    format!("failed: {e}"),
                    Verdict::Miss,
                ));
                continue;
            }
        };
        let paid = r.paid.per_sec();
        let ceiling = r.ceiling.per_sec();
        match kind {
            Kind::Sqlite => {
                rows.push(row(
                    scope,
                    "paid calls, X-API-Key, 32 connections",
                    ">= 10,000 successes/s",
                    rate(paid),
                    Verdict::of(paid >= 10_000.0),
                ));
                rows.push(row(
                    scope,
                    "paid calls p99",
                    "<= 10 ms",
                    ms(r.paid.load.p99_ms),
                    Verdict::of(r.paid.load.p99_ms <= 10.0),
                ));
                rows.push(row(
                    scope,
                    "paid calls vs in-process ceiling",
                    ">= 50%",
                    format!("{} of {}/s", pct(paid / ceiling), rate(ceiling)),
                    Verdict::of(paid >= 0.5 * ceiling),
                ));
            }
            Kind::Postgres => {
                rows.push(row(
                    scope,
                    "paid calls, one hot user, vs in-process ceiling",
                    ">= 70%",
                    format!(
                        "{} ({}/s of {}/s)",
                        pct(paid / ceiling),
                        rate(paid),
                        rate(ceiling)
                    ),
                    Verdict::of(paid >= 0.7 * ceiling),
                ));
            }
        }
        rows.push(row(
            scope,
            "paid calls: every success is one debit row, balance = sum of ledger",
            "exact",
            r.paid.ledger_note.clone(),
            Verdict::of(r.paid.ledger_ok && r.scale.paid.ledger_ok),
        ));
        let me = r.me.per_sec(200);
        rows.push(row(
            scope,
            "GET /api/me, Bearer, 32 connections",
            ">= 30,000 req/s",
            rate(me),
            Verdict::of(me >= 30_000.0),
        ));
        rows.push(row(
            scope,
            "/healthz p99 while 16 logins (cost 12) run",
            "<= 10 ms",
            ms(r.healthz.p99_ms),
            Verdict::of(r.healthz.p99_ms <= 10.0 && r.healthz.count(200) > 0),
        ));
        let ideal = run.machine.cores as f64 / r.bcrypt_seconds;
        let logins = r.logins.per_sec(200);
        rows.push(row(
            scope,
            "logins/s at cost 12 vs cores / bcrypt time",
            ">= 90%",
            format!(
                "{} ({:.1}/s of {:.1}/s)",
                pct(logins / ideal),
                logins,
                ideal
            ),
            Verdict::of(logins >= 0.9 * ideal),
        ));
        let mib = r.peak_rss_kib as f64 / 1024.0;
        rows.push(row(
            scope,
            "peak resident memory of the server (VmHWM)",
            "<= 40 MiB",
            format!("{mib:.1} MiB"),
            Verdict::of(mib <= 40.0),
        ));
        let start = median_ms(&r.starts);
        rows.push(row(
            scope,
            "start to ready, empty database (median)",
            "<= 100 ms",
            ms(start),
            Verdict::of(start <= 100.0),
        ));
        let scaled = r.scale.paid.per_sec();
        let change = scaled / paid - 1.0;
        rows.push(row(
            scope,
            "paid calls/s with the scale seed vs empty",
            "within 15%",
            format!(
                "{:+.1}% ({}/s vs {}/s)",
                change * 100.0,
                rate(scaled),
                rate(paid)
            ),
            Verdict::of(change.abs() <= 0.15),
        ));
        rows.push(row(
            scope,
            "ledger pages use the (user_id, id) index",
            "index in the plan",
            if r.scale.keyset_index_used() {
                "yes".to_owned()
            } else {
                "no (see plans)".to_owned()
            },
            Verdict::of(r.scale.keyset_index_used()),
        ));
        let exact = !r.probe.is_empty() && r.probe.iter().all(ProbeRound::exact);
        rows.push(row(
            scope,
            &format!(
                "double-spend probe: B={} credits, B+100 calls at once",
                run.settings.probe_balance
            ),
            "exactly B succeed, every round",
            probe_summary(&r.probe),
            Verdict::of(exact),
        ));
        if let Some(rep) = &r.replicas {
            let exact = !rep.probe.is_empty() && rep.probe.iter().all(ProbeRound::exact);
            rows.push(row(
                scope,
                "two replicas started together both come up",
                "both ready",
                format!(
                    "{} and {}",
                    ms(rep.starts[0].as_secs_f64() * 1000.0),
                    ms(rep
                        .starts
                        .get(1)
                        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0))
                ),
                Verdict::Pass,
            ));
            rows.push(row(
                scope,
                "double-spend probe through two replicas",
                "exactly B succeed, every round",
                probe_summary(&rep.probe),
                Verdict::of(exact),
            ));
            rows.push(row(
                scope,
                "two replicas loaded together: ledger exact",
                "exact",
                rep.ledger_note.clone(),
                Verdict::of(rep.ledger_ok),
            ));
        }
    }
    match &run.spa {
        Ok(Some(spa)) => {
            let total = spa.transferred_total();
            rows.push(row(
                "SPA",
                "first load transferred (Brotli copies where built, else gzip -9)",
                "<= 250 KB",
                format!("{:.1} KB", total as f64 / 1000.0),
                Verdict::of(total <= 250_000),
            ));
        }
        Ok(None) => rows.push(row(
            "SPA",
            "first load transferred",
            "<= 250 KB",
            "not built (no dist/index.html)".to_owned(),
            Verdict::NotMeasured,
        )),
        Err(e) => rows.push(row(
            "SPA",
            "first load transferred",
            "<= 250 KB",
            format!("error: {e}"),
            Verdict::NotMeasured,
        )),
    }
    rows
}

fn load_cells(l: &LoadResult) -> String {
    format!("{} | {} | {}", ms(l.p50_ms), ms(l.p99_ms), ms(l.max_ms))
}

fn anomalies(l: &LoadResult) -> String {
    let a = l.anomalies();
    if a.is_empty() {
        "all 200".to_owned()
    } else {
        a
    }
}

fn figures(out: &mut String, run: &Run, r: &DbResults) {
    let s = run.settings;
    let secs = s.phase.as_secs();
    let paid = r.paid.per_sec();
    let _ = writeln!(out, "| measurement | figure | p50 | p99 | max | notes |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let starts: Vec<String> = r
        .starts
        .iter()
        .map(|d| format!("{:.0}", d.as_secs_f64() * 1000.0))
        .collect();
    let _ = writeln!(
        out,
        "| start to ready (spawn to first 200 from /readyz, empty database, migrations included) | median {} | | | | {} starts: {} ms |",
        ms(median_ms(&r.starts)),
        r.starts.len(),
        starts.join(", ")
    );
    let _ = writeln!(
        out,
        "| in-process debit ceiling: `Db::write_blocking(LedgerRow::post)`, {} threads, no HTTP | {}/s | | | | {} debits in {secs} s |",
        r.ceiling.threads,
        rate(r.ceiling.per_sec()),
        r.ceiling.debits
    );
    let _ = writeln!(
        out,
        "| in-process debit on raw connections (no pool), {} thread(s) | {}/s | | | | the pool path runs at {} of this |",
        r.ceiling_raw.threads,
        rate(r.ceiling_raw.per_sec()),
        pct(r.ceiling.per_sec() / r.ceiling_raw.per_sec())
    );
    let _ = writeln!(
        out,
        "| paid calls `POST /api/generate-text`, X-API-Key, {CONNECTIONS} connections | {} successes/s | {} | {} of the ceiling; {}; ledger: {} |",
        rate(paid),
        load_cells(&r.paid.load),
        pct(paid / r.ceiling.per_sec()),
        anomalies(&r.paid.load),
        r.paid.ledger_note
    );
    let _ = writeln!(
        out,
        "| `GET /api/me`, Bearer, {CONNECTIONS} connections | {} req/s | {} | {} |",
        rate(r.me.per_sec(200)),
        load_cells(&r.me),
        anomalies(&r.me)
    );
    let _ = writeln!(
        out,
        "| `GET /api/me`, Bearer, {ME_USERS} users at once ({ME_USERS} oha processes x {} connections, a token each) | {} req/s | {} | {}; latencies of the slowest process |",
        CONNECTIONS / ME_USERS,
        rate(r.me_users.per_sec(200)),
        load_cells(&r.me_users),
        anomalies(&r.me_users)
    );
    let ideal = run.machine.cores as f64 / r.bcrypt_seconds;
    let _ = writeln!(
        out,
        "| one bcrypt hash, cost {BCRYPT_COST}, in-process | {:.0} ms | | | | cores / bcrypt time = {:.1} logins/s |",
        r.bcrypt_seconds * 1000.0,
        ideal
    );
    let _ = writeln!(
        out,
        "| logins `POST /api/auth/login`, {LOGIN_CONNECTIONS} at once | {:.1} logins/s | {} | {} of cores / bcrypt time; {} |",
        r.logins.per_sec(200),
        load_cells(&r.logins),
        pct(r.logins.per_sec(200) / ideal),
        anomalies(&r.logins)
    );
    let _ = writeln!(
        out,
        "| `/healthz` beside those logins, {} req/s probe | {} answered | {} | {} |",
        crate::phases::HEALTHZ_PROBE_RATE,
        r.healthz.answered(),
        load_cells(&r.healthz),
        anomalies(&r.healthz)
    );
    let _ = writeln!(
        out,
        "| double-spend probe, {} rounds | {} | | | | successes/calls per round |",
        r.probe.len(),
        probe_summary(&r.probe)
    );
    let seed = &r.scale.seed;
    let _ = writeln!(
        out,
        "| scale seed in SQL | {:.1} s | | | | {} users, {} keys, {} ledger rows |",
        seed.seconds,
        rate(seed.users as f64),
        rate(seed.keys as f64),
        rate(seed.ledger_rows as f64)
    );
    let scaled = r.scale.paid.per_sec();
    let _ = writeln!(
        out,
        "| paid calls after the scale seed | {} successes/s | {} | {:+.1}% vs empty; {}; ledger: {} |",
        rate(scaled),
        load_cells(&r.scale.paid.load),
        (scaled / paid - 1.0) * 100.0,
        anomalies(&r.scale.paid.load),
        r.scale.paid.ledger_note
    );
    let _ = writeln!(
        out,
        "| ledger page (50 rows, keyset), in-process, seeded user / hot user | {:.0} µs / {:.0} µs | | | | median of 200 |",
        r.scale.page_us_seeded, r.scale.page_us_hot
    );
    let _ = writeln!(
        out,
        "| peak resident memory of the server (VmHWM, end of the run) | {:.1} MiB | | | | |",
        r.peak_rss_kib as f64 / 1024.0
    );
    if let Some(rep) = &r.replicas {
        let loads: Vec<String> = rep
            .loads
            .iter()
            .map(|l| format!("{}/s", rate(l.per_sec(200))))
            .collect();
        let _ = writeln!(
            out,
            "| two replicas, paid calls on one hot user ({} connections each) | {} successes/s | | | | per replica: {}; ledger: {} |",
            CONNECTIONS / 2,
            rate(rep.per_sec()),
            loads.join(" + "),
            rep.ledger_note
        );
        let _ = writeln!(
            out,
            "| two replicas, double-spend probe | {} | | | | calls alternate between the replicas |",
            probe_summary(&rep.probe)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Ledger page plans (`EXPLAIN{}` of `{}`):",
        if r.kind == Kind::Sqlite {
            " QUERY PLAN"
        } else {
            ""
        },
        crate::seed::ledger_page_sql(0, 0)
            .replace("user_id = 0", "user_id = ?")
            .replace("id < 0", "id < ?")
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "```");
    let _ = writeln!(out, "-- a seeded user (10 rows)");
    for l in &r.scale.plan_seeded {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "-- the hot paid-call user");
    for l in &r.scale.plan_hot {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "```");
}

pub fn markdown(run: &Run) -> String {
    let s = run.settings;
    let m = &run.machine;
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    if let Some(note) = &s.note {
        let _ = writeln!(out, "> **{note}**\n");
    }
    let _ = writeln!(
        out,
        "Written by `make bench` (the `bench/` crate) on {} (UTC, {:.0} s). Run it again to \
         refresh this file: it is rewritten whole. Targets are goals for this report, never test \
         assertions.\n",
        run.started.format("%Y-%m-%d %H:%M"),
        (run.finished - run.started).num_milliseconds() as f64 / 1000.0
    );
    let _ = writeln!(out, "## Machine and command\n");
    let _ = writeln!(
        out,
        "- {} cores ({}), {} MiB memory, Linux {}",
        m.cores,
        m.cpu,
        rate(m.memory_mib as f64),
        m.kernel
    );
    let _ = writeln!(
        out,
        "- load average when the run started: {} (server, load generator and bench share these cores)",
        m.load_average
    );
    let dbs: Vec<&str> = run.results.iter().map(|(k, _)| k.name()).collect();
    let _ = writeln!(
        out,
        "- command: `make bench` (here: BENCH_SECONDS={}), databases: {}; load from {}; server: release build, APP_MODE=prod, BCRYPT_COST={BCRYPT_COST}, RUST_LOG={} (JSON log line per request), rate limits on with unreachable quotas",
        s.phase.as_secs(),
        dbs.join(" and "),
        run.oha_version,
        s.rust_log
    );
    let _ = writeln!(
        out,
        "- each measured phase runs {} s after a {} s warm-up; scale seed: {} users",
        s.phase.as_secs(),
        s.warmup.as_secs(),
        rate(s.scale_users as f64)
    );
    let _ = writeln!(out);

    let _ = writeln!(out, "## Targets\n");
    let _ = writeln!(out, "| database | target | goal | measured | verdict |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for t in targets(run) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            t.scope,
            t.what,
            t.goal,
            t.measured.replace('|', "\\|"),
            t.verdict.label()
        );
    }
    let _ = writeln!(out);

    for (kind, result) in &run.results {
        let _ = writeln!(out, "## Figures: {}\n", kind.name());
        match result {
            Ok(r) => figures(&mut out, run, r),
            Err(e) => {
                let _ = writeln!(out, "The run failed: `{e}`");
            }
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "## SPA first load\n");
    match &run.spa {
        Ok(Some(spa)) => {
            let _ = writeln!(
                out,
                "| file in dist/ | bytes | transferred (br, else gzip -9) |"
            );
            let _ = writeln!(out, "|---|---|---|");
            for (name, raw, gz) in &spa.files {
                let _ = writeln!(
                    out,
                    "| {name} | {} | {} |",
                    rate(*raw as f64),
                    rate(*gz as f64)
                );
            }
            let _ = writeln!(
                out,
                "| total | | {} |",
                rate(spa.transferred_total() as f64)
            );
        }
        Ok(None) => {
            let _ = writeln!(out, "Not built: dist/index.html is missing (`make dist`).");
        }
        Err(e) => {
            let _ = writeln!(out, "Could not measure dist/: {e}");
        }
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "## Micro-benchmarks (criterion, `backend/benches/hot_paths.rs`)\n"
    );
    if run.micro.is_empty() {
        let _ = writeln!(
            out,
            "None found in target/criterion: `make bench` runs them first (`cargo bench -p backend --bench hot_paths`)."
        );
    } else {
        let _ = writeln!(out, "| benchmark | mean | measured |");
        let _ = writeln!(out, "|---|---|---|");
        for m in &run.micro {
            let mean = if m.mean_ns >= 1e6 {
                format!("{:.2} ms", m.mean_ns / 1e6)
            } else if m.mean_ns >= 1e3 {
                format!("{:.2} µs", m.mean_ns / 1e3)
            } else {
                format!("{:.0} ns", m.mean_ns)
            };
            let _ = writeln!(
                out,
                "| {} | {mean} | {} |",
                m.id,
                m.measured_at.format("%Y-%m-%d %H:%M UTC")
            );
        }
    }
    let _ = writeln!(out);
    out.push_str(READING);
    out.push_str(HOW);
    out
}

const READING: &str = "## Reading the figures

- `GET /api/me` reads the user on every request (its `token_version` and `is_active`), so \
logout-all, a password change or disabling an account takes effect at once on every replica: \
there is no cache to expire. On PostgreSQL that read is a network round trip, and one round trip \
per request capped this route at about 13,500-18,000 req/s here (`pgbench -S` alone, a prepared \
primary-key SELECT with no HTTP, peaks near 70,000/s on these 2 cores). The reads are therefore \
batched (`backend/src/db/batch.rs`): lookups that arrive while a query runs are answered together \
by the next one (`WHERE id = ANY(..)`), never by one already under way, so each still sees every \
write committed before it was asked.
- In the 32-connection phase every request carries the same token, so a batch collapses to one \
row. The phase with several users at once shows batching without that help; oha sends one token \
per process, so it runs one process per user, which costs the load generator more CPU.

";

const HOW: &str = "## How it is measured

- The server is the release binary `target/release/backend`, a child process on a free port of
  127.0.0.1, with a fresh database each time: an SQLite file (WAL) in `target/bench-tmp/`, or
  `CREATE DATABASE bench_<random>` on `TEST_DATABASE_URL` (dropped afterwards, also on failure).
- Users come from `POST /api/auth/signup`, the admin from `backend create-admin`, credits from
  `POST /api/admin/users/{id}/credits`, keys from `POST /api/keys`. The scale seed (users, one key
  each, ten ledger rows each) is SQL: a recursive CTE on SQLite, `generate_series` on PostgreSQL.
- Load comes from oha in its own process (`--no-tui --output-format json -w`: requests in flight
  at the deadline are awaited, so every success can be matched with a ledger row).
  Successes/s = 200 answers / wall time. Latencies are oha's percentiles over all answers.
- The in-process ceiling calls the same debit (`LedgerRow::post` in a write transaction) from
  threads of the bench process on a fresh database of the same kind; HTTP figures are given as a
  fraction of it.
- The double-spend probe grants B credits, fires B+100 paid calls at once on separate
  connections, and checks: B answers 200, 100 answer 402, balance 0, balance = sum of the ledger.
- Logins run with 16 in flight while a 100 req/s probe measures `/healthz` (oha's latency
  correction on); the ideal login rate is cores / (one bcrypt hash at cost 12, in-process).
- Peak memory is `VmHWM` from `/proc/<pid>/status` of the server at the end of its run (after
  the scale phase). Start to ready is spawn to the first 200 from `/readyz` (median).
- On a machine with few cores, the load generator and the bench itself take CPU from the server:
  the figures are a floor for the server, not its ceiling.
";

/// A short plain-text summary for the terminal.
pub fn console(run: &Run) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{:<11} {:<62} {:<16} {:<40} verdict",
        "database", "target", "goal", "measured"
    );
    for t in targets(run) {
        let verdict = match t.verdict {
            Verdict::Pass => "pass",
            Verdict::Miss => "MISS",
            Verdict::NotMeasured => "not measured",
        };
        let measured: String = t.measured.chars().take(60).collect();
        let what: String = t.what.chars().take(62).collect();
        let _ = writeln!(
            out,
            "{:<11} {:<62} {:<16} {:<40} {verdict}",
            t.scope, what, t.goal, measured
        );
    }
    out
}
