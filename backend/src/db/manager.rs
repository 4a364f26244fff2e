//! An r2d2 manager that opens the backend named by `DATABASE_URL`'s scheme and applies the
//! per-connection SQLite settings. (Diesel's `MultiConnection::establish` guesses the backend by
//! trial and hides the real connection error, so the choice is made here instead.)

use std::time::Duration;

use diesel::{
    Connection, ConnectionError, PgConnection, SqliteConnection, connection::SimpleConnection,
    r2d2::R2D2Connection,
};
use secrecy::ExposeSecret;

use super::AnyConnection;
use crate::config::DatabaseUrl;

/// After busy_timeout (first, so these already wait for a lock instead of failing). Temporary
/// storage in memory: the writer's group commit gives each write a savepoint, whose journal would
/// otherwise be a temporary file, opened and deleted again and again, and impossible to open in a
/// container whose root filesystem is read-only. The WAL is copied back into the database (a
/// checkpoint, which syncs both files on the writer thread) every 10,000 pages, ~40 MB, not
/// SQLite's 1,000: a page written again and again in between is copied once, which matters most
/// for the random pages of the idempotency keys' index (idempotent paid calls +15% in
/// BENCHMARKS.md, plain ones unchanged).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
    PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 10000;";

#[derive(Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    /// How long SQLite waits for another writer's lock (`DB_TIMEOUT_MS`, as for the pool).
    busy_timeout: Duration,
}

impl ConnectionManager {
    pub fn new(url: &DatabaseUrl, busy_timeout: Duration) -> Self {
        Self {
            url: url.clone(),
            busy_timeout,
        }
    }

    pub fn is_networked(&self) -> bool {
        matches!(self.url, DatabaseUrl::Postgres(_))
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = AnyConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<AnyConnection, ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                // Before libpq's first TLS handshake initialises OpenSSL with an exit handler
                // that frees its state under pool threads still closing connections: `free():
                // invalid pointer` as the process exits (diesel#3441). A no-op after the first.
                openssl_sys::init();
                PgConnection::establish(url.expose_secret()).map(AnyConnection::Postgresql)
            }
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        ConnectionError::BadConnection(format!(
                            "cannot create {}: {e}",
                            dir.display()
                        ))
                    })?;
                }
                let path = path.to_str().ok_or_else(|| {
                    ConnectionError::InvalidConnectionUrl(
                        "the SQLite path is not valid UTF-8".to_owned(),
                    )
                })?;
                let mut conn = SqliteConnection::establish(path)?;
                let busy = format!("PRAGMA busy_timeout = {};", self.busy_timeout.as_millis());
                conn.batch_execute(&busy)
                    .and_then(|()| conn.batch_execute(SQLITE_PRAGMAS))
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectionError> {
        conn.ping()
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        conn.is_broken()
    }
}

#[cfg(test)]
mod tests {
    use diesel::{
        QueryableByName, RunQueryDsl, sql_query,
        sql_types::{BigInt, Text},
    };
    use r2d2::ManageConnection;

    use super::*;

    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        value: String,
    }

    /// `wal_autocheckpoint` has no table-valued function: its PRAGMA's own column.
    #[derive(QueryableByName)]
    struct Autocheckpoint {
        #[diesel(sql_type = BigInt)]
        wal_autocheckpoint: i64,
    }

    #[test]
    fn sqlite_connections_get_every_setting() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let url = DatabaseUrl::Sqlite(dir.path().join("app.db"));
        let manager = ConnectionManager::new(&url, Duration::from_millis(1234));
        let Ok(AnyConnection::Sqlite(mut conn)) = manager.connect() else {
            panic!("an SQLite connection")
        };
        let settings = [
            ("busy_timeout", "1234"),
            ("journal_mode", "wal"),
            // NORMAL
            ("synchronous", "1"),
            ("foreign_keys", "1"),
            // MEMORY
            ("temp_store", "2"),
        ];
        for (pragma, expected) in settings {
            let sql = format!("SELECT CAST((SELECT * FROM pragma_{pragma}) AS TEXT) AS value");
            let found = sql_query(sql).get_result::<Setting>(&mut conn);
            assert_eq!(found.expect(pragma).value, expected, "{pragma}");
        }
        let pages = sql_query("PRAGMA wal_autocheckpoint").get_result::<Autocheckpoint>(&mut conn);
        assert_eq!(
            pages.expect("wal_autocheckpoint").wal_autocheckpoint,
            10_000
        );
    }
}
