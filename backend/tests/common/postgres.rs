//! PostgreSQL for the test binaries: the server named by `TEST_DATABASE_URL`, and a fresh
//! database on it per test. Shared by `tests/api` and `tests/container.rs`.

use std::{io::Write, sync::Once};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// `TEST_DATABASE_URL`, whose user may create databases. Without it the PostgreSQL tests are
/// skipped with a loud warning, except in CI (`CI=true`) where a missing database is an error.
pub fn admin_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => panic!(
            "TEST_DATABASE_URL is not set, and CI=true requires the PostgreSQL tests to run \
             (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres)"
        ),
        _ => {
            warn_skipped();
            None
        }
    }
}

/// Says once per test binary, past the harness's output capture, that PostgreSQL is not tested.
fn warn_skipped() {
    static WARNED: Once = Once::new();
    WARNED.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPING PostgreSQL tests: TEST_DATABASE_URL is not set ***\n"
        );
    });
}

/// A new, empty database on `TEST_DATABASE_URL`, dropped (connections and all) with this value.
pub struct FreshDatabase {
    pub admin_url: String,
    pub name: String,
    /// The `DATABASE_URL` that reaches it.
    pub url: String,
}

impl FreshDatabase {
    /// `None` when PostgreSQL is not configured (see [`admin_url`]).
    pub fn create() -> Option<Self> {
        let admin_url = admin_url()?;
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        run_admin_sql(&admin_url, &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("cannot create the test database: {e}"));
        let url = with_database_name(&admin_url, &name);
        Some(Self {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Err(e) = drop_database(&self.admin_url, &self.name) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

/// Deletes database `name` now, disconnecting whoever uses it.
pub fn drop_database(admin_url: &str, name: &str) -> Result<(), String> {
    run_admin_sql(
        admin_url,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
}

/// Runs `sql` as the `TEST_DATABASE_URL` user, on its own connection.
pub fn run_admin_sql(admin_url: &str, sql: &str) -> Result<(), String> {
    let mut conn = PgConnection::establish(admin_url)
        .map_err(|e| format!("cannot connect to TEST_DATABASE_URL: {e}"))?;
    diesel::sql_query(sql)
        .execute(&mut conn)
        .map(drop)
        .map_err(|e| format!("{sql}: {e}"))
}

/// `postgres://user@host:5432/postgres?sslmode=disable` with the database name replaced.
fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}
