//! What a run does, from the environment. Every value is checked here, with an error that names
//! the variable.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, Result, bail};

/// The paid-call and GET /api/me phases use this many connections (the figure).
pub const CONNECTIONS: u32 = 32;
/// Users of the second GET /api/me phase: one oha process each, CONNECTIONS / ME_USERS
/// connections each (oha sends one token per process).
pub const ME_USERS: u32 = 8;
/// Logins in flight during the login phase (and while /healthz is probed).
pub const LOGIN_CONNECTIONS: u32 = 16;
/// The server's bcrypt cost throughout the run.
pub const BCRYPT_COST: u32 = 12;
/// Credits of the paid-call user: enough for any run.
pub const PAID_USER_CREDITS: i64 = 100_000_000;
/// Ledger rows per user of the scale seed (100,000 users -> 1,000,000 rows).
pub const LEDGER_ROWS_PER_USER: u64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Length of each measured phase (BENCH_SECONDS, default 10).
    pub phase: Duration,
    /// Load before each measured throughput phase, not counted.
    pub warmup: Duration,
    /// PostgreSQL server to create fresh databases on (TEST_DATABASE_URL); `None`: SQLite only.
    pub postgres_admin_url: Option<String>,
    /// Which databases to run (BENCH_DATABASES=sqlite,postgres; default: every one available).
    pub kinds: Vec<Kind>,
    pub backend_bin: PathBuf,
    pub oha: PathBuf,
    pub report_path: PathBuf,
    pub workspace_root: PathBuf,
    pub target_dir: PathBuf,
    /// Where the run keeps its SQLite files and server logs (removed at the end).
    pub scratch_parent: PathBuf,
    /// A line for the top of the report (BENCH_NOTE), e.g. "smoke run on a busy machine".
    pub note: Option<String>,
    /// Users (and keys) of the scale seed (BENCH_SCALE_USERS, default 100,000).
    pub scale_users: u64,
    /// Rounds of the double-spend probe (BENCH_ROUNDS, default 5).
    pub rounds: u32,
    /// Credits of the double-spend user per round (B).
    pub probe_balance: i64,
    /// Starts measured for start-to-ready (BENCH_STARTS, default 5).
    pub starts: u32,
    /// The server's RUST_LOG (BENCH_RUST_LOG, default `info`: one log line per request, as in
    /// production).
    pub rust_log: String,
}

impl Settings {
    pub fn from_env() -> Result<Self> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let num = |name: &str, default: u64, range: std::ops::RangeInclusive<u64>| -> Result<u64> {
            let Some(raw) = var(name) else {
                return Ok(default);
            };
            let value: u64 = raw
                .parse()
                .with_context(|| format!("{name}: expected a whole number, got {raw:?}"))?;
            if !range.contains(&value) {
                bail!(
                    "{name}: must be between {} and {}, got {value}",
                    range.start(),
                    range.end()
                );
            }
            Ok(value)
        };

        let seconds = num("BENCH_SECONDS", 10, 1..=120)?;
        let postgres_admin_url = match var("TEST_DATABASE_URL") {
            None => None,
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Some(url)
            }
            Some(_) => bail!("TEST_DATABASE_URL: expected postgres://... or postgresql://..."),
        };
        let kinds = match var("BENCH_DATABASES") {
            None => {
                let mut kinds = vec![Kind::Sqlite];
                if postgres_admin_url.is_some() {
                    kinds.push(Kind::Postgres);
                }
                kinds
            }
            Some(list) => {
                let mut kinds = Vec::new();
                for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let kind = match item {
                        "sqlite" => Kind::Sqlite,
                        "postgres" | "postgresql" => Kind::Postgres,
                        other => {
                            bail!("BENCH_DATABASES: expected sqlite and/or postgres, got {other:?}")
                        }
                    };
                    if kind == Kind::Postgres && postgres_admin_url.is_none() {
                        bail!("BENCH_DATABASES names postgres but TEST_DATABASE_URL is not set");
                    }
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                if kinds.is_empty() {
                    bail!("BENCH_DATABASES: names no database");
                }
                kinds
            }
        };

        let exe = std::env::current_exe().context("cannot tell where the bench binary is")?;
        let exe_dir = exe
            .parent()
            .context("the bench binary has no parent directory")?
            .to_path_buf();
        let backend_bin = match var("BENCH_BACKEND_BIN") {
            Some(path) => PathBuf::from(path),
            None => exe_dir.join("backend"),
        };
        if !backend_bin.is_file() {
            bail!(
                "the server binary {} does not exist: run `cargo build --release -p backend` \
                 (or set BENCH_BACKEND_BIN)",
                backend_bin.display()
            );
        }
        // target/release/bench -> target
        let target_dir = exe_dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| exe_dir.clone());
        let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("the bench crate has no parent directory")?
            .to_path_buf();
        let oha = match var("BENCH_OHA") {
            Some(path) => PathBuf::from(path),
            None => find_oha()
                .context("oha is not installed: `cargo install oha --locked` (or set BENCH_OHA)")?,
        };
        let report_path = var("BENCH_REPORT")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root.join("BENCHMARKS.md"));
        let scratch_parent = var("BENCH_TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| target_dir.join("bench-tmp"));

        Ok(Self {
            phase: Duration::from_secs(seconds),
            warmup: Duration::from_secs(1),
            postgres_admin_url,
            kinds,
            backend_bin,
            oha,
            report_path,
            workspace_root,
            target_dir,
            scratch_parent,
            note: var("BENCH_NOTE"),
            scale_users: num("BENCH_SCALE_USERS", 100_000, 1_000..=1_000_000)?,
            rounds: u32::try_from(num("BENCH_ROUNDS", 5, 1..=50)?)?,
            probe_balance: 50,
            starts: u32::try_from(num("BENCH_STARTS", 5, 1..=25)?)?,
            rust_log: var("BENCH_RUST_LOG").unwrap_or_else(|| "info".to_owned()),
        })
    }
}

fn find_oha() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("oha"));
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin").join("oha"));
    on_path.chain(in_cargo_home).find(|p| p.is_file())
}
