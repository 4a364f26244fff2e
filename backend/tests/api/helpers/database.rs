//! A fresh database per test: a temp SQLite file, or a PostgreSQL database created on
//! `TEST_DATABASE_URL`. Both are deleted when the last handle is dropped.

use std::{io::Write, sync::Once};

use diesel::{Connection, PgConnection, RunQueryDsl};

use super::files::TempDir;

/// Which database the server under test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// SQLite always runs. PostgreSQL runs when `TEST_DATABASE_URL` names a server whose user
    /// may create databases; without it the tests are skipped with a loud warning, except in CI
    /// (`CI=true`) where a missing database is an error.
    pub fn is_available(self) -> bool {
        match self {
            Backend::Sqlite => true,
            Backend::Postgres => postgres_admin_url().is_some(),
        }
    }
}

fn postgres_admin_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => panic!(
            "TEST_DATABASE_URL is not set, and CI=true requires the PostgreSQL tests to run \
             (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres)"
        ),
        _ => {
            warn_postgres_skipped();
            None
        }
    }
}

/// Says once per run, past the test harness's output capture, that PostgreSQL is not tested.
fn warn_postgres_skipped() {
    static WARNED: Once = Once::new();
    WARNED.call_once(|| {
        let mut stderr = std::io::stderr();
        let _ = writeln!(
            stderr,
            "\n*** SKIPPING PostgreSQL tests: TEST_DATABASE_URL is not set ***\n"
        );
    });
}

/// A database that lives as long as the test that made it.
pub(crate) enum TestDb {
    /// Removed with its directory when dropped.
    Sqlite {
        _dir: TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    /// Creates an empty database and returns it with the `DATABASE_URL` that reaches it.
    pub(crate) async fn create(backend: Backend) -> (Self, String) {
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new("test");
                let url = format!("sqlite://{}", dir.path().join("app.db").display());
                (TestDb::Sqlite { _dir: dir }, url)
            }
            Backend::Postgres => {
                let id = uuid::Uuid::new_v4().simple();
                let admin_url = postgres_admin_url()
                    .expect("PostgreSQL tests run only when TEST_DATABASE_URL is set");
                let name = format!("t_{id}");
                let url = with_database_name(&admin_url, &name);
                let (admin, sql) = (admin_url.clone(), format!("CREATE DATABASE {name}"));
                tokio::task::spawn_blocking(move || run_admin_sql(&admin, &sql))
                    .await
                    .expect("the database set-up thread panicked")
                    .unwrap_or_else(|e| panic!("cannot create the test database: {e}"));
                (TestDb::Postgres { admin_url, name }, url)
            }
        }
    }

    /// Deletes a PostgreSQL database now, disconnecting whoever uses it: the server loses its
    /// database while it runs.
    pub(crate) async fn drop_now(&self) {
        let TestDb::Postgres { admin_url, name } = self else {
            panic!("only a PostgreSQL database can be taken away from a running server");
        };
        let (admin, sql) = (admin_url.clone(), drop_sql(name));
        tokio::task::spawn_blocking(move || run_admin_sql(&admin, &sql))
            .await
            .expect("the database drop thread panicked")
            .unwrap_or_else(|e| panic!("cannot drop the test database: {e}"));
    }
}

impl Drop for TestDb {
    /// The SQLite directory removes itself; a PostgreSQL database is dropped here.
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            if let Err(e) = run_admin_sql(admin_url, &drop_sql(name)) {
                eprintln!("could not drop the test database {name}: {e}");
            }
        }
    }
}

fn drop_sql(name: &str) -> String {
    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
}

fn run_admin_sql(admin_url: &str, sql: &str) -> Result<(), String> {
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
