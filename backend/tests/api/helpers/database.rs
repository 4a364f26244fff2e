//! A fresh database per test (test-support's [`ScratchDatabase`]: a temp SQLite file, or a
//! PostgreSQL database created on `TEST_DATABASE_URL`, deleted when the last handle is dropped).
//! A test may also take the database away from the server for a while ([`DatabaseOutage`]).

use std::{path::PathBuf, sync::mpsc, thread::JoinHandle, time::Duration};

use diesel::{Connection, PgConnection, SqliteConnection, connection::SimpleConnection};
pub use test_support::Backend;
use test_support::{
    ScratchDatabase,
    postgres::{self, run_admin_sql},
};

/// Creates an empty database of `backend` (PostgreSQL only when [`Backend::is_available`]).
pub(crate) async fn create(backend: Backend) -> ScratchDatabase {
    tokio::task::spawn_blocking(move || ScratchDatabase::create(backend))
        .await
        .expect("the database set-up thread panicked")
        .expect("PostgreSQL tests run only when TEST_DATABASE_URL is set")
}

/// Deletes a PostgreSQL database now, disconnecting whoever uses it: the server loses its
/// database while it runs.
pub(crate) async fn drop_now(db: &ScratchDatabase) {
    let ScratchDatabase::Postgres(db) = db else {
        panic!("only a PostgreSQL database can be taken away from a running server");
    };
    let (admin_url, name) = (db.admin_url.clone(), db.name.clone());
    tokio::task::spawn_blocking(move || postgres::drop_database(&admin_url, &name))
        .await
        .expect("the database drop thread panicked")
        .unwrap_or_else(|e| panic!("cannot drop the test database: {e:#}"));
}

/// Runs `sql` on the database behind the server's back: the state a crashed replica leaves, say.
pub(crate) async fn execute(db: &ScratchDatabase, sql: &str) {
    let (url, sql) = (db.url().to_owned(), sql.to_owned());
    tokio::task::spawn_blocking(move || {
        let done = match url.strip_prefix("sqlite://") {
            Some(path) => SqliteConnection::establish(path)
                .expect("the SQLite file opens")
                .batch_execute(&sql),
            None => PgConnection::establish(&url)
                .expect("PostgreSQL answers")
                .batch_execute(&sql),
        };
        done.unwrap_or_else(|e| panic!("{sql}: {e}"));
    })
    .await
    .expect("the SQL thread panicked");
}

/// Makes the database unavailable to the server until the outage ends.
pub(crate) async fn begin_outage(db: &ScratchDatabase) -> DatabaseOutage {
    match db {
        ScratchDatabase::Postgres(db) => {
            let outage = DatabaseOutage::Postgres {
                admin_url: db.admin_url.clone(),
                name: db.name.clone(),
                ended: false,
            };
            let (admin, name) = (db.admin_url.clone(), db.name.clone());
            tokio::task::spawn_blocking(move || refuse_connections(&admin, &name))
                .await
                .expect("the outage thread panicked");
            outage
        }
        ScratchDatabase::Sqlite { .. } => {
            let path = db.sqlite_file().expect("an SQLite database has a file");
            tokio::task::spawn_blocking(move || DatabaseOutage::lock_sqlite(path))
                .await
                .expect("the outage thread panicked")
        }
    }
}

/// The database taken away from the server under test; it comes back with [`Self::end`] (or
/// when dropped).
///
/// - PostgreSQL: the database refuses new connections (`ALLOW_CONNECTIONS false`) and the
///   server's connections are terminated, as when the database host fails over or restarts. The
///   shared PostgreSQL server keeps serving every other test's database.
/// - SQLite: a file cannot be taken away from a process that holds it open (its descriptors keep
///   the data, however the path changes), so the outage is another process holding the write
///   lock (`BEGIN IMMEDIATE`), as a stuck maintenance job would: every write waits, reads go on
///   (WAL).
pub enum DatabaseOutage {
    Postgres {
        admin_url: String,
        name: String,
        ended: bool,
    },
    SqliteWriteLock {
        release: Option<mpsc::Sender<()>>,
        holder: Option<JoinHandle<()>>,
    },
}

impl DatabaseOutage {
    /// Takes the write lock on another connection and holds it until released.
    fn lock_sqlite(path: PathBuf) -> Self {
        let (locked, is_locked) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let holder = std::thread::spawn(move || {
            let path = path.to_str().expect("a UTF-8 path").to_owned();
            let mut conn = SqliteConnection::establish(&path)
                .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
            conn.batch_execute("PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE;")
                .unwrap_or_else(|e| panic!("cannot take the write lock on {path}: {e}"));
            let _ = locked.send(());
            // Until `end` or drop (both close the channel).
            let _ = released.recv();
            let _ = conn.batch_execute("ROLLBACK");
        });
        is_locked
            .recv_timeout(Duration::from_secs(15))
            .expect("the SQLite write lock was not taken within 15 s");
        DatabaseOutage::SqliteWriteLock {
            release: Some(release),
            holder: Some(holder),
        }
    }

    /// Gives the database back.
    pub async fn end(mut self) {
        tokio::task::spawn_blocking(move || self.restore())
            .await
            .expect("the restore thread panicked");
    }

    fn restore(&mut self) {
        match self {
            DatabaseOutage::Postgres {
                admin_url,
                name,
                ended,
            } => {
                if !*ended {
                    *ended = true;
                    let sql = format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true");
                    run_admin_sql(admin_url, &sql)
                        .unwrap_or_else(|e| panic!("cannot give the database back: {e:#}"));
                }
            }
            DatabaseOutage::SqliteWriteLock { release, holder } => {
                drop(release.take());
                if let Some(holder) = holder.take() {
                    holder.join().expect("the SQLite lock holder panicked");
                }
            }
        }
    }
}

impl Drop for DatabaseOutage {
    fn drop(&mut self) {
        self.restore();
    }
}

/// No new connection to `name`, and its open ones terminated (twice: one may have been opening
/// in between).
fn refuse_connections(admin_url: &str, name: &str) {
    let refuse = format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false");
    run_admin_sql(admin_url, &refuse).unwrap_or_else(|e| panic!("cannot cut {name} off: {e:#}"));
    let terminate = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    );
    for _ in 0..2 {
        run_admin_sql(admin_url, &terminate)
            .unwrap_or_else(|e| panic!("cannot end the connections to {name}: {e:#}"));
        std::thread::sleep(Duration::from_millis(100));
    }
}
