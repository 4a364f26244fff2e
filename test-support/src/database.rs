//! A fresh, empty database of either kind, deleted when dropped.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::{TempDir, postgres::PostgresDatabase};

/// The SQLite database's file name in its directory.
const SQLITE_FILE: &str = "app.db";

/// Which database a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }

    /// SQLite always runs. PostgreSQL runs when `TEST_DATABASE_URL` names a server whose user
    /// may create databases; without it the tests are skipped with a loud warning, except in CI
    /// (`CI=true`) where a missing database is an error.
    pub fn is_available(self) -> bool {
        match self {
            Self::Sqlite => true,
            Self::Postgres => crate::postgres::admin_url().is_some(),
        }
    }
}

/// A fresh, empty database, deleted when dropped.
#[derive(Debug)]
pub enum ScratchDatabase {
    /// [`SQLITE_FILE`] in a directory of its own, removed with it.
    Sqlite { dir: TempDir, url: String },
    /// Dropped on the server with this value.
    Postgres(PostgresDatabase),
}

impl ScratchDatabase {
    /// A test's database: SQLite in the system's temp dir, PostgreSQL on `TEST_DATABASE_URL`.
    /// `None` when PostgreSQL is not configured (see [`Backend::is_available`]); panics when the
    /// database cannot be made.
    pub fn create(backend: Backend) -> Option<Self> {
        let admin_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(crate::postgres::admin_url()?),
        };
        let db = Self::create_in(backend, &std::env::temp_dir(), admin_url.as_deref(), "t");
        let name = backend.name();
        Some(db.unwrap_or_else(|e| panic!("cannot create a {name} test database: {e:#}")))
    }

    /// An SQLite file in a new directory `<label>-sqlite-<random>` of `parent`, or the PostgreSQL
    /// database `<label>_<uuid>` on the server `postgres_admin_url` names.
    pub fn create_in(
        backend: Backend,
        parent: &Path,
        postgres_admin_url: Option<&str>,
        label: &str,
    ) -> Result<Self> {
        match backend {
            Backend::Sqlite => {
                let dir =
                    TempDir::new_in(parent, &format!("{label}-sqlite")).with_context(|| {
                        format!("cannot create a directory in {}", parent.display())
                    })?;
                let url = format!("sqlite://{}", dir.path().join(SQLITE_FILE).display());
                Ok(Self::Sqlite { dir, url })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url.context("PostgreSQL needs TEST_DATABASE_URL")?;
                let db = PostgresDatabase::create_on(admin_url, label)?;
                Ok(Self::Postgres(db))
            }
        }
    }

    /// The `DATABASE_URL` that reaches it.
    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } => url,
            Self::Postgres(db) => &db.url,
        }
    }

    /// The SQLite file (`None` on PostgreSQL).
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        match self {
            Self::Sqlite { dir, .. } => Some(dir.path().join(SQLITE_FILE)),
            Self::Postgres(_) => None,
        }
    }
}
