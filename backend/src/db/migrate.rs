//! Embedded migrations, one set per backend (their SQL differs), applied at start-up.

use diesel::{connection::SimpleConnection, migration::MigrationSource, pg::Pg, sqlite::Sqlite};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{AnyConnection, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Any constant works as long as every replica uses the same one.
const PG_MIGRATION_LOCK: i64 = 0x5AA5_0001;

pub fn run_pending(conn: &mut AnyConnection) -> Result<(), DbError> {
    match conn {
        AnyConnection::Sqlite(c) => apply::<Sqlite, _>(c, SQLITE),
        AnyConnection::Postgresql(c) => {
            // Session-level lock: a second replica waits here, then finds nothing pending.
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))?;
            let result = apply::<Pg, _>(c, POSTGRES);
            c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))?;
            result
        }
    }
}

fn apply<DB, C>(conn: &mut C, migrations: impl MigrationSource<DB>) -> Result<(), DbError>
where
    DB: diesel::backend::Backend,
    C: MigrationHarness<DB>,
{
    let applied = conn
        .run_pending_migrations(migrations)
        .map_err(|e| DbError::Migration(e.into()))?;
    for version in applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(())
}
