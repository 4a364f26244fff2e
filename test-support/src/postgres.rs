//! PostgreSQL for the tests and the bench: the server named by `TEST_DATABASE_URL`, and fresh
//! databases on it.

use std::{io::Write, sync::Once};

use anyhow::{Context, Result};
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

/// A new, empty database `<label>_<uuid>` on a PostgreSQL server, dropped (connections and all)
/// with this value.
#[derive(Debug)]
pub struct PostgresDatabase {
    pub admin_url: String,
    pub name: String,
    /// The `DATABASE_URL` that reaches it.
    pub url: String,
}

impl PostgresDatabase {
    /// `CREATE DATABASE` on the server `admin_url` names, as its user.
    pub fn create_on(admin_url: &str, label: &str) -> Result<Self> {
        let name = format!("{label}_{}", uuid::Uuid::new_v4().simple());
        let url = with_database_name(admin_url, &name)?;
        run_admin_sql(admin_url, &format!("CREATE DATABASE {name}"))?;
        Ok(Self {
            admin_url: admin_url.to_owned(),
            name,
            url,
        })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Err(e) = drop_database(&self.admin_url, &self.name) {
            eprintln!(
                "could not drop the scratch database {}: {e:#} (drop it by hand)",
                self.name
            );
        }
    }
}

/// Deletes database `name` now, disconnecting whoever uses it (a server that was killed, a pool
/// still open).
pub fn drop_database(admin_url: &str, name: &str) -> Result<()> {
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    run_admin_sql(admin_url, &sql)
}

/// Runs `sql` as the `admin_url` user, on its own connection.
pub fn run_admin_sql(admin_url: &str, sql: &str) -> Result<()> {
    // OpenSSL without its exit handler, as the backend's connections do (see its `db::manager`).
    openssl_sys::init();
    // Diesel's connection errors do not repeat the URL, so no password reaches a message.
    let mut conn =
        PgConnection::establish(admin_url).context("cannot connect to TEST_DATABASE_URL")?;
    diesel::sql_query(sql)
        .execute(&mut conn)
        .with_context(|| format!("{sql} failed"))?;
    Ok(())
}

/// `postgres://user@host:5432/postgres?sslmode=disable` with the database name replaced.
fn with_database_name(admin_url: &str, name: &str) -> Result<String> {
    let mut url = url::Url::parse(admin_url).context("TEST_DATABASE_URL is not a URL")?;
    url.set_path(name);
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn swaps_the_database_name() {
        let swap = |url| with_database_name(url, "b").unwrap();
        assert_eq!(
            swap("postgres://postgres@127.0.0.1:5432/postgres"),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            swap("postgresql://u:p@h/db?sslmode=disable"),
            "postgresql://u:p@h/b?sslmode=disable"
        );
        assert_eq!(swap("postgres://h:5432"), "postgres://h:5432/b");
        assert!(with_database_name("nonsense", "b").is_err());
    }
}
