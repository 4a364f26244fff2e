//! A fresh database per test: a temp SQLite file, or a PostgreSQL database created on
//! `TEST_DATABASE_URL`. Both are deleted when the last handle is dropped.

use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::Once,
};

use diesel::{Connection, PgConnection, RunQueryDsl};

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
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// Creates an empty database and returns it with the `DATABASE_URL` that reaches it.
    pub(crate) async fn create(backend: Backend) -> (Self, String) {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("backend-test-{id}"));
                std::fs::create_dir_all(&dir)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
                let url = format!("sqlite://{}", dir.join("app.db").display());
                (TestDb::Sqlite { dir }, url)
            }
            Backend::Postgres => {
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
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite { dir } => remove_dir(dir),
            TestDb::Postgres { admin_url, name } => {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(e) = run_admin_sql(admin_url, &sql) {
                    eprintln!("could not drop the test database {name}: {e}");
                }
            }
        }
    }
}

/// Removes the SQLite directory. The server may still be opening a connection (it runs until
/// the test binary exits), which can drop a new file in between: try again a few times.
fn remove_dir(dir: &Path) {
    let mut result = Ok(());
    for _ in 0..5 {
        result = std::fs::remove_dir_all(dir);
        if result.is_ok() || !dir.exists() {
            return;
        }
    }
    if let Err(e) = result {
        eprintln!("could not remove the test database {}: {e}", dir.display());
    }
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
