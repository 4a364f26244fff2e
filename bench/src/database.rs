//! Fresh databases for each measurement, and a direct connection for seeding and checks.
//! Everything made here is removed when its guard drops, also when the run fails or is
//! interrupted.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection,
    connection::SimpleConnection,
    sql_types::{BigInt, Text},
};

use crate::settings::Kind;

/// A directory for the run's SQLite files and server logs, removed on drop.
pub struct Scratch {
    path: PathBuf,
    keep: bool,
}

impl Scratch {
    pub fn create(parent: &Path) -> Result<Self> {
        let path = parent.join(format!("run-{}-{}", std::process::id(), random_suffix()));
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Self { path, keep: false })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Keeps the directory (server logs) after a failure, for a look.
    pub fn keep(&mut self) {
        self.keep = true;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("bench: kept {} (server logs)", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

pub fn random_suffix() -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(10)
        .map(|c| char::from(c).to_ascii_lowercase())
        .collect()
}

/// An empty database of one kind: an SQLite file in the scratch directory, or
/// `CREATE DATABASE bench_<label>_<random>` on the PostgreSQL server (dropped on drop).
pub struct FreshDatabase {
    pub kind: Kind,
    pub url: String,
    postgres: Option<(String, String)>,
}

impl FreshDatabase {
    pub fn create(
        kind: Kind,
        scratch: &Path,
        admin_url: Option<&str>,
        label: &str,
    ) -> Result<Self> {
        let name = format!("bench_{label}_{}", random_suffix());
        match kind {
            Kind::Sqlite => Ok(Self {
                kind,
                url: format!("sqlite://{}", scratch.join(format!("{name}.db")).display()),
                postgres: None,
            }),
            Kind::Postgres => {
                let admin_url = admin_url.context("PostgreSQL needs TEST_DATABASE_URL")?;
                let mut admin = PgConnection::establish(admin_url).with_context(|| {
                    format!(
                        "cannot connect to TEST_DATABASE_URL ({})",
                        redact(admin_url)
                    )
                })?;
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .with_context(|| format!("cannot create database {name}"))?;
                Ok(Self {
                    kind,
                    url: with_database(admin_url, &name)?,
                    postgres: Some((admin_url.to_owned(), name)),
                })
            }
        }
    }

    pub fn connect(&self) -> Result<Direct> {
        Direct::connect(self.kind, &self.url)
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = &self.postgres else {
            return;
        };
        // WITH (FORCE) ends what is still connected (a server that was killed, pooled
        // connections of the in-process ceiling).
        let dropped = PgConnection::establish(admin_url)
            .map_err(|e| e.to_string())
            .and_then(|mut c| {
                c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = dropped {
            eprintln!("bench: could not drop database {name}: {e} (drop it by hand)");
        }
    }
}

/// `postgres://user@host:5432/postgres?x=y` with another database name.
pub fn with_database(url: &str, name: &str) -> Result<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        bail!("TEST_DATABASE_URL: not a URL");
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let authority = before_query
        .split_once('/')
        .map_or(before_query, |(a, _)| a);
    if authority.is_empty() {
        bail!("TEST_DATABASE_URL: no host");
    }
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}

/// A URL without its password.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// A plain Diesel connection of the right kind, outside the server and its pools.
pub enum Direct {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

impl Direct {
    pub fn connect(kind: Kind, url: &str) -> Result<Self> {
        match kind {
            Kind::Sqlite => {
                let path = url.strip_prefix("sqlite://").unwrap_or(url);
                let mut c = SqliteConnection::establish(path)
                    .with_context(|| format!("cannot open {path}"))?;
                // The server may be writing: wait for the lock rather than fail.
                c.batch_execute("PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;")?;
                Ok(Self::Sqlite(c))
            }
            Kind::Postgres => Ok(Self::Postgres(
                PgConnection::establish(url)
                    .with_context(|| format!("cannot connect to {}", redact(url)))?,
            )),
        }
    }

    pub fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Self::Sqlite(c) => c.batch_execute(sql),
            Self::Postgres(c) => c.batch_execute(sql),
        }
        .with_context(|| format!("SQL failed: {}", first_line(sql)))
    }

    /// A query returning one BIGINT column named `n`, one row.
    pub fn number(&mut self, sql: &str) -> Result<i64> {
        let rows: Vec<Number> = match self {
            Self::Sqlite(c) => diesel::sql_query(sql).load(c),
            Self::Postgres(c) => diesel::sql_query(sql).load(c),
        }
        .with_context(|| format!("SQL failed: {}", first_line(sql)))?;
        rows.first()
            .map(|r| r.n)
            .with_context(|| format!("no row from: {}", first_line(sql)))
    }

    /// The query plan of `select`, one line per step.
    pub fn explain(&mut self, select: &str) -> Result<Vec<String>> {
        match self {
            Self::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {select}"))
                .load::<SqlitePlanLine>(c)
                .map(|rows| rows.into_iter().map(|r| r.detail).collect()),
            Self::Postgres(c) => diesel::sql_query(format!("EXPLAIN {select}"))
                .load::<PgPlanLine>(c)
                .map(|rows| rows.into_iter().map(|r| r.line).collect()),
        }
        .with_context(|| format!("EXPLAIN failed: {select}"))
    }

    /// One user's balance, the sum of its ledger deltas, and its number of debit rows.
    pub fn ledger_check(&mut self, user_id: i64) -> Result<LedgerCheck> {
        let credits = self.number(&format!(
            "SELECT credits AS n FROM users WHERE id = {user_id}"
        ))?;
        let sum = self.number(&format!(
            "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) AS n FROM credit_ledger WHERE user_id = {user_id}"
        ))?;
        let debits = self.number(&format!(
            "SELECT COUNT(*) AS n FROM credit_ledger WHERE user_id = {user_id} AND delta < 0"
        ))?;
        Ok(LedgerCheck {
            credits,
            sum,
            debits,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerCheck {
    pub credits: i64,
    pub sum: i64,
    pub debits: i64,
}

impl LedgerCheck {
    pub fn consistent(&self) -> bool {
        self.credits == self.sum
    }
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "b").unwrap(),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=disable", "b").unwrap(),
            "postgresql://u:p@h/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "b").unwrap(),
            "postgres://h:5432/b"
        );
        assert!(with_database("nonsense", "b").is_err());
    }

    #[test]
    fn redacts_the_password() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
