//! The report: the targets with their verdicts and the figures behind them, written to
//! BENCHMARKS.md (rewritten whole on every run) and summed up on the terminal.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use test_support::Backend;

use crate::{
    machine::{Machine, Micro, SpaSize},
    markdown::{rate, table},
    measured::Measured,
    settings::{BCRYPT_COST, Settings},
    targets::targets,
};

pub struct Run<'a> {
    pub settings: &'a Settings,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub machine: Machine,
    pub oha_version: String,
    pub results: Vec<(Backend, Result<Measured, String>)>,
    pub spa: Result<Option<SpaSize>, String>,
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
            Ok(m) => crate::figures::write(&mut out, run, *kind, m),
            Err(e) => {
                let _ = writeln!(out, "The run failed: `{e}`");
            }
        }
    }
    out.push_str("\n## SPA first load\n\n");
    match &run.spa {
        Ok(Some(spa)) => {
            let header = ["file in dist/", "bytes", "transferred (br, else gzip -9)"];
            let files = spa
                .files
                .iter()
                .map(|(name, raw, sent)| [name.clone(), rate(*raw as f64), rate(*sent as f64)]);
            let total = rate(spa.transferred_total() as f64);
            let total = ["total".to_owned(), String::new(), total];
            table(&mut out, &header, files.chain([total]));
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
    out.push_str(NOTES);
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
    let (cores, cpu, memory, kernel) = (m.cores, &m.cpu, rate(m.memory_mib as f64), &m.kernel);
    let (secs, warmup, rust_log) = (s.phase.as_secs(), s.warmup.as_secs(), &s.rust_log);
    let dbs: Vec<&str> = run.results.iter().map(|(k, _)| k.name()).collect();
    let (dbs, oha, scale_users) = (
        dbs.join(" and "),
        &run.oha_version,
        rate(s.scale_users as f64),
    );
    let _ = writeln!(
        out,
        "Written by `make bench` (the `bench/` crate) on {when} (UTC, {took:.0} s). Run it again to \
         refresh this file: it is rewritten whole. Targets are goals for this report, never test \
         assertions.\n\n\
         ## Machine and command\n\n\
         - {cores} cores ({cpu}), {memory} MiB memory, Linux {kernel}\n\
         - load average when the run started: {} (server, load generator and bench share these \
         cores)\n\
         - command: `make bench` (here: BENCH_SECONDS={secs}), databases: {dbs}; load from {oha}; \
         server: release build, APP_MODE=prod, BCRYPT_COST={BCRYPT_COST}, RUST_LOG={rust_log} \
         (JSON log line per request), rate limits on with unreachable quotas, email \
         verification off\n\
         - each measured phase runs {secs} s after a {warmup} s warm-up; scale seed: {scale_users} \
         users\n",
        m.load_average
    );
}

/// A criterion mean in the unit that suits it.
fn mean(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The targets with their verdicts: in BENCHMARKS.md, and on the terminal.
pub fn targets_table(run: &Run) -> String {
    let mut out = String::new();
    let header = ["database", "target", "goal", "measured", "verdict"];
    table(&mut out, &header, targets(run));
    out
}

/// The closing sections: how to read the figures, how they are measured.
const NOTES: &str = include_str!("report_notes.md");
