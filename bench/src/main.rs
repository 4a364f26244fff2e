//! `make bench`: the release server under load, on SQLite and (with TEST_DATABASE_URL) on
//! PostgreSQL, then a table and a rewritten BENCHMARKS.md.
//!
//! Settings (environment): BENCH_SECONDS (each phase, default 10), TEST_DATABASE_URL,
//! BENCH_DATABASES (sqlite,postgres), BENCH_NOTE (a line atop the report), BENCH_REPORT (path),
//! BENCH_SCALE_USERS, BENCH_ROUNDS, BENCH_STARTS, BENCH_RUST_LOG, BENCH_BACKEND_BIN, BENCH_TMPDIR.

mod api;
mod inprocess;
mod load;
mod machine;
mod phases;
mod probe;
mod report;
mod server;
mod settings;
mod sql;
mod upload;

use std::process::ExitCode;

use anyhow::{Context, Result};
use test_support::TempDir;

use crate::settings::Settings;

fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench: {e:#}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime");
    let outcome = runtime.and_then(|runtime| {
        let outcome = runtime.block_on(async {
            tokio::select! {
                outcome = run(&settings) => outcome,
                signal = interrupted() => Err(signal),
            }
        });
        // Blocking measurements of an interrupted run stop at their own deadline; don't wait.
        runtime.shutdown_timeout(std::time::Duration::from_secs(2));
        outcome
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM: the run's future is dropped, and with it every server and database guard.
async fn interrupted() -> anyhow::Error {
    use tokio::signal::unix::{SignalKind, signal};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => s.recv().await,
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => anyhow::anyhow!("interrupted (Ctrl-C): cleaned up"),
        _ = term => anyhow::anyhow!("terminated (SIGTERM): cleaned up"),
    }
}

/// Every database's phases, then the report. `Ok(false)` when a database's run failed (the
/// report still shows the others).
async fn run(settings: &Settings) -> Result<bool> {
    let (started, machine) = (chrono::Utc::now(), machine::Machine::read());
    let (cores, load, secs) = (
        machine.cores,
        &machine.load_average,
        settings.phase.as_secs(),
    );
    eprintln!("bench: {cores} cores, load average {load}; {secs} s phases");
    // The run's SQLite files, uploads and server logs; kept after a failure, for a look.
    let parent = &settings.scratch_parent;
    let mut scratch = (TempDir::new_in(parent, "run"))
        .with_context(|| format!("cannot create a directory in {}", parent.display()))?;
    let mut results = Vec::new();
    for &kind in &settings.kinds {
        let result = phases::run(settings, kind, scratch.path()).await;
        if let Err(e) = &result {
            eprintln!("bench [{}] FAILED: {e:#}", kind.name());
            eprintln!("bench: keeping {} (server logs)", scratch.path().display());
            scratch.keep();
        }
        results.push((kind, result.map_err(|e| format!("{e:#}"))));
    }
    let all_ok = results.iter().all(|(_, result)| result.is_ok());
    let dist = settings.workspace_root.join("dist");
    let run = report::Run {
        settings,
        started,
        finished: chrono::Utc::now(),
        machine,
        results,
        spa: machine::spa_size(&dist).map_err(|e| format!("{e:#}")),
        micro: machine::criterion_results(&settings.target_dir),
    };
    let markdown = report::markdown(&run);
    print!("\n{}", report::targets_table(&run));
    std::fs::write(&settings.report_path, markdown)
        .with_context(|| format!("cannot write {}", settings.report_path.display()))?;
    eprintln!("bench: wrote {}", settings.report_path.display());
    Ok(all_ok)
}
