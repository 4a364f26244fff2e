//! What a run does, from the environment (the variables are listed in `main.rs`). Every value is
//! checked here, with an error that names the variable.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, Result, bail, ensure};
use test_support::Backend;

/// Connections of the paid-call and `GET /api/me` loads (the figure).
pub const CONNECTIONS: u32 = 32;
/// Users of the second `GET /api/me` load, a token each.
pub const ME_USERS: u32 = 8;
/// Logins in flight during the login phase (and while /healthz is probed).
pub const LOGIN_CONNECTIONS: u32 = 16;
/// Requests per second of the /healthz probe beside the logins.
pub const HEALTHZ_PROBE_RATE: u32 = 100;
/// The server's bcrypt cost throughout the run.
pub const BCRYPT_COST: u32 = 12;
/// Credits of the paid-call users: enough for any run.
pub const PAID_USER_CREDITS: i64 = 100_000_000;
/// Ledger rows per user of the scale seed (100,000 users -> 1,000,000 rows).
pub const LEDGER_ROWS_PER_USER: u64 = 10;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Length of each measured phase, and of the warm-up (not counted) before a throughput phase.
    pub phase: Duration,
    pub warmup: Duration,
    /// PostgreSQL server to create fresh databases on; `None`: SQLite only.
    pub postgres_admin_url: Option<String>,
    pub kinds: Vec<Backend>,
    pub backend_bin: PathBuf,
    pub report_path: PathBuf,
    pub workspace_root: PathBuf,
    pub target_dir: PathBuf,
    /// Where the run keeps its SQLite files, uploads and server logs (removed at the end).
    pub scratch_parent: PathBuf,
    /// A line for the top of the report, e.g. "smoke run on a busy machine".
    pub note: Option<String>,
    /// Users (and keys) of the scale seed.
    pub scale_users: u64,
    /// Rounds of the double-spend probe.
    pub rounds: u32,
    /// Starts measured for start-to-ready.
    pub starts: u32,
    /// The server's RUST_LOG (`info`: one log line per request, as in production).
    pub rust_log: String,
}

/// A variable's trimmed value; `None` when unset or blank.
fn var(name: &str) -> Option<String> {
    let value = std::env::var(name).ok()?.trim().to_owned();
    (!value.is_empty()).then_some(value)
}

/// A whole number in `range`, `default` when unset.
fn number<T>(name: &str, default: T, range: std::ops::RangeInclusive<T>) -> Result<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let Some(raw) = var(name) else {
        return Ok(default);
    };
    let value: T = (raw.parse().ok())
        .with_context(|| format!("{name}: expected a whole number, got {raw:?}"))?;
    let (low, high) = (range.start(), range.end());
    ensure!(
        range.contains(&value),
        "{name}: must be between {low} and {high}, got {value}"
    );
    Ok(value)
}

impl Settings {
    pub fn from_env() -> Result<Self> {
        let postgres_admin_url = var("TEST_DATABASE_URL");
        if let Some(url) = &postgres_admin_url {
            let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
            let postgres = matches!(scheme, "postgres" | "postgresql");
            ensure!(
                postgres,
                "TEST_DATABASE_URL: expected postgres://... or postgresql://..."
            );
        }
        let kinds = databases(var("BENCH_DATABASES"), postgres_admin_url.is_some())?;
        // target/release/bench: the server is beside it, criterion's results in target/.
        let exe = std::env::current_exe().context("cannot tell where the bench binary is")?;
        let exe_dir = (exe.parent()).context("the bench binary has no parent directory")?;
        let target_dir = exe_dir.parent().unwrap_or(exe_dir).to_path_buf();
        let backend_bin =
            var("BENCH_BACKEND_BIN").map_or_else(|| exe_dir.join("backend"), PathBuf::from);
        ensure!(
            backend_bin.is_file(),
            "the server binary {} does not exist: run `cargo build --release -p backend` (or set \
             BENCH_BACKEND_BIN)",
            backend_bin.display()
        );
        let workspace_root = (Path::new(env!("CARGO_MANIFEST_DIR")).parent())
            .context("the bench crate has no parent directory")?
            .to_path_buf();
        Ok(Self {
            phase: Duration::from_secs(number("BENCH_SECONDS", 10, 1..=120)?),
            warmup: Duration::from_secs(1),
            postgres_admin_url,
            kinds,
            backend_bin,
            report_path: var("BENCH_REPORT")
                .map_or_else(|| workspace_root.join("BENCHMARKS.md"), PathBuf::from),
            scratch_parent: var("BENCH_TMPDIR")
                .map_or_else(|| target_dir.join("bench-tmp"), PathBuf::from),
            workspace_root,
            target_dir,
            note: var("BENCH_NOTE"),
            scale_users: number("BENCH_SCALE_USERS", 100_000, 1_000..=1_000_000)?,
            rounds: number("BENCH_ROUNDS", 5, 1..=50)?,
            starts: number("BENCH_STARTS", 5, 1..=25)?,
            rust_log: var("BENCH_RUST_LOG").unwrap_or_else(|| "info".to_owned()),
        })
    }
}

/// BENCH_DATABASES: `sqlite` and/or `postgres`, comma-separated; unset: SQLite, and PostgreSQL
/// when there is one.
fn databases(list: Option<String>, have_postgres: bool) -> Result<Vec<Backend>> {
    let Some(list) = list else {
        let postgres = have_postgres.then_some(Backend::Postgres);
        return Ok([Some(Backend::Sqlite), postgres]
            .into_iter()
            .flatten()
            .collect());
    };
    let mut kinds = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let kind = match item {
            "sqlite" => Backend::Sqlite,
            "postgres" | "postgresql" => Backend::Postgres,
            other => bail!("BENCH_DATABASES: expected sqlite and/or postgres, got {other:?}"),
        };
        let missing = kind == Backend::Postgres && !have_postgres;
        ensure!(
            !missing,
            "BENCH_DATABASES names postgres but TEST_DATABASE_URL is not set"
        );
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    ensure!(!kinds.is_empty(), "BENCH_DATABASES: names no database");
    Ok(kinds)
}
