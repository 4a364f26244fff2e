//! The report: the targets with their verdicts and the figures behind them, written to
//! BENCHMARKS.md (rewritten whole on every run) and summed up on the terminal; the one Markdown
//! table writer every table goes through, and the number formats.

use std::{fmt::Write as _, time::Duration};

use chrono::{DateTime, Utc};
use test_support::Backend;

use crate::{
    machine::{Machine, Micro},
    settings::{BCRYPT_COST, Settings},
};

/// A database's rows of the targets table, in this order (its phases find them in another).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Goal {
    Paid,
    PaidP99,
    PaidVsCeiling,
    HotVsCeiling,
    Keyed,
    KeyedReported,
    LedgerExact,
    Me,
    Healthz,
    Logins,
    Memory,
    Start,
    Scaled,
    Indexed,
    Probe,
    UploadMemory,
    ReplicasUp,
    ReplicasProbe,
    ReplicasLedger,
}

impl Goal {
    /// The target, and its goal.
    fn text(self) -> (&'static str, &'static str) {
        let keyed = "paid calls with a scoped, limited key and an Idempotency-Key each, vs plain \
                     paid calls";
        let ledger = "paid calls: every success is one debit row, balance = sum of ledger";
        let probe = "double-spend probe: B=50 credits, B+100 calls at once";
        let upload =
            "peak resident memory of the server while 8 clients upload 100 MiB each at once";
        match self {
            Self::Paid => (
                "paid calls, X-API-Key, 32 connections",
                ">= 10,000 successes/s",
            ),
            Self::PaidP99 => ("paid calls p99", "<= 10 ms"),
            Self::PaidVsCeiling => ("paid calls vs in-process ceiling", ">= 50%"),
            Self::HotVsCeiling => ("paid calls, one hot user, vs in-process ceiling", ">= 70%"),
            Self::Keyed => (keyed, "within 15%"),
            // The target is SQLite's; PostgreSQL's figure is reported beside it.
            Self::KeyedReported => (keyed, "reported"),
            Self::LedgerExact => (ledger, "exact"),
            Self::Me => ("GET /api/me, Bearer, 32 connections", ">= 30,000 req/s"),
            Self::Healthz => ("/healthz p99 while 16 logins (cost 12) run", "<= 10 ms"),
            Self::Logins => ("logins/s at cost 12 vs cores / bcrypt time", ">= 90%"),
            Self::Memory => ("peak resident memory of the server (VmHWM)", "<= 40 MiB"),
            Self::Start => ("start to ready, empty database (median)", "<= 100 ms"),
            Self::Scaled => ("paid calls/s with the scale seed vs empty", "within 15%"),
            Self::Indexed => ("ledger pages read through an index", "no Seq Scan, no Sort"),
            Self::Probe => (probe, EXACTLY_B),
            Self::UploadMemory => (upload, "within 10 MiB of idle"),
            Self::ReplicasUp => ("two replicas started together both come up", "both ready"),
            Self::ReplicasProbe => ("double-spend probe through two replicas", EXACTLY_B),
            Self::ReplicasLedger => ("two replicas loaded together: ledger exact", "exact"),
        }
    }
}

const EXACTLY_B: &str = "exactly B succeed, every round";

/// What one database's phases found, in the report's words.
#[derive(Default)]
pub struct Findings {
    /// The targets met or missed (measured, pass); by [`Goal`] once the run is over.
    pub targets: Vec<(Goal, String, bool)>,
    /// Measurement, figure, p50, p99, max, notes; in the order of the phases.
    pub figures: Vec<[String; 6]>,
    /// Markdown under the figures (the ledger page's query plans).
    pub after: String,
}

/// Files of dist/: name, bytes, bytes transferred.
pub type SpaFiles = Vec<(String, u64, u64)>;

pub struct Run<'a> {
    pub settings: &'a Settings,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub machine: Machine,
    pub results: Vec<(Backend, Result<Findings, String>)>,
    pub spa: Result<Option<SpaFiles>, String>,
    pub micro: Vec<Micro>,
}

/// BENCHMARKS.md.
pub fn markdown(run: &Run) -> String {
    let mut out = String::from("# Benchmarks\n\n");
    machine_and_command(&mut out, run);
    out.push_str("## Targets\n\n");
    out.push_str(&targets_table(run));
    for (kind, result) in &run.results {
        let _ = writeln!(out, "\n## Figures: {}\n", kind.name());
        match result {
            Ok(found) => {
                let header = ["measurement", "figure", "p50", "p99", "max", "notes"];
                table(&mut out, &header, &found.figures);
                out.push_str(&found.after);
            }
            Err(e) => {
                let _ = writeln!(out, "The run failed: `{e}`");
            }
        }
    }
    out.push_str("\n## SPA first load\n\n");
    match &run.spa {
        Ok(Some(files)) => {
            let header = ["file in dist/", "bytes", "transferred (br, else gzip -9)"];
            let rows = files
                .iter()
                .map(|(name, raw, sent)| [name.clone(), count(*raw), count(*sent)]);
            let total = ["total".to_owned(), String::new(), count(transferred(files))];
            table(&mut out, &header, rows.chain([total]));
        }
        Ok(None) => out.push_str("Not built: dist/index.html is missing (`make dist`).\n"),
        Err(e) => {
            let _ = writeln!(out, "Could not measure dist/: {e}");
        }
    }
    out.push_str("\n## Micro-benchmarks (criterion, `backend/benches/hot_paths.rs`)\n\n");
    if run.micro.is_empty() {
        out.push_str(
            "None found in target/criterion: `make bench` runs them first (`cargo bench -p backend --bench hot_paths`).\n",
        );
    } else {
        let rows = run.micro.iter().map(|m| {
            let measured_at = m.measured_at.format("%Y-%m-%d %H:%M UTC").to_string();
            [m.id.clone(), mean(m.mean_ns), measured_at]
        });
        table(&mut out, &["benchmark", "mean", "measured"], rows);
    }
    out.push('\n');
    out.push_str(include_str!("report_notes.md"));
    out
}

/// The report's introduction: when, where and how it ran.
fn machine_and_command(out: &mut String, run: &Run) {
    let (s, m) = (run.settings, &run.machine);
    if let Some(note) = &s.note {
        let _ = writeln!(out, "> **{note}**\n");
    }
    let when = run.started.format("%Y-%m-%d %H:%M");
    let took = (run.finished - run.started).num_milliseconds() as f64 / 1000.0;
    let (cores, cpu, memory, kernel) = (m.cores, &m.cpu, count(m.memory_mib), &m.kernel);
    let (secs, warmup, rust_log) = (s.phase.as_secs(), s.warmup.as_secs(), &s.rust_log);
    let dbs: Vec<&str> = run.results.iter().map(|(k, _)| k.name()).collect();
    let (dbs, scale_users) = (dbs.join(" and "), count(s.scale_users));
    let _ = writeln!(
        out,
        "Written by `make bench` (the `bench/` crate) on {when} (UTC, {took:.0} s). Run it again to \
         refresh this file: it is rewritten whole. Targets are goals for this report, never test \
         assertions.\n\n\
         ## Machine and command\n\n\
         - {cores} cores ({cpu}), {memory} MiB memory, Linux {kernel}\n\
         - load average when the run started: {} (server, load generator and bench share these \
         cores)\n\
         - command: `make bench` (here: BENCH_SECONDS={secs}), databases: {dbs}; load from the bench's own hyper client; \
         server: release build, APP_MODE=prod, BCRYPT_COST={BCRYPT_COST}, RUST_LOG={rust_log} \
         (JSON log line per request), rate limits on with unreachable quotas, email \
         verification off\n\
         - each measured phase runs {secs} s after a {warmup} s warm-up; scale seed: {scale_users} \
         users\n",
        m.load_average
    );
}

/// The targets with their verdicts, database by database, then the SPA's: in BENCHMARKS.md, and
/// on the terminal.
pub fn targets_table(run: &Run) -> String {
    let row = |database: &str, what: &str, goal: &str, measured: String, verdict: &str| {
        [database, what, goal, &measured, verdict].map(str::to_owned)
    };
    let mut rows = Vec::new();
    for (kind, result) in &run.results {
        let database = kind.name();
        match result {
            Ok(found) => rows.extend(found.targets.iter().map(|(goal, measured, pass)| {
                let (what, aim) = goal.text();
                row(database, what, aim, measured.clone(), verdict(*pass))
            })),
            Err(e) => {
                let (what, failed) = ("every target of this database", format!("failed: {e}"));
                rows.push(row(
                    database,
                    what,
                    "the run completes",
                    failed,
                    verdict(false),
                ));
            }
        }
    }
    let (first_load, goal, unknown) = ("first load transferred", "<= 250 KB", "not measured");
    rows.push(match &run.spa {
        Ok(Some(files)) => {
            let (total, how) = (
                transferred(files),
                "(Brotli copies where built, else gzip -9)",
            );
            let (what, measured) = (
                format!("{first_load} {how}"),
                format!("{:.1} KB", total as f64 / 1000.0),
            );
            row("SPA", &what, goal, measured, verdict(total <= 250_000))
        }
        Ok(None) => row(
            "SPA",
            first_load,
            goal,
            "not built (no dist/index.html)".into(),
            unknown,
        ),
        Err(e) => row("SPA", first_load, goal, format!("error: {e}"), unknown),
    });
    let mut out = String::new();
    table(
        &mut out,
        &["database", "target", "goal", "measured", "verdict"],
        rows,
    );
    out
}

/// In Markdown: a miss stands out.
fn verdict(pass: bool) -> &'static str {
    if pass { "pass" } else { "**MISS**" }
}

fn transferred(files: &SpaFiles) -> u64 {
    files.iter().map(|f| f.2).sum()
}

/// A Markdown table: the header, its rule, then one line per row. A `|` in a cell is escaped; an
/// empty cell stays empty (`| |`).
pub fn table<R: AsRef<[String]>>(
    out: &mut String,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) {
    line(out, header.iter().copied());
    out.push_str(&"|---".repeat(header.len()));
    out.push_str("|\n");
    for row in rows {
        line(out, row.as_ref().iter().map(String::as_str));
    }
}

fn line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        if !cell.is_empty() {
            out.push_str(&cell.replace('|', "\\|"));
            out.push(' ');
        }
        out.push('|');
    }
    out.push('\n');
}

/// Milliseconds: two decimals below 10, one above; `n/a` for NaN (nothing answered).
pub fn ms(v: f64) -> String {
    match v {
        v if v.is_nan() => "n/a".to_owned(),
        v if v < 10.0 => format!("{v:.2} ms"),
        v => format!("{v:.1} ms"),
    }
}

pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A whole number with thousands separators: 12,827.
pub fn rate(v: f64) -> String {
    let digits = (v.round() as u64).to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn count(n: u64) -> String {
    rate(n as f64)
}

pub fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A criterion mean in the unit that suits it.
fn mean(ns: f64) -> String {
    match ns {
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_table() {
        let mut out = String::new();
        table(&mut out, &["a", "b"], [["x|y".to_owned(), String::new()]]);
        assert_eq!(out, "| a | b |\n|---|---|\n| x\\|y | |\n");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(rate(1_234_567.4), "1,234,567");
        assert_eq!(rate(999.0), "999");
        assert_eq!(ms(7.126), "7.13 ms");
        assert_eq!(ms(12.64), "12.6 ms");
        assert_eq!(ms(f64::NAN), "n/a");
        assert_eq!(pct(0.854), "85%");
        assert_eq!(mean(1_500.0), "1.50 µs");
    }
}
