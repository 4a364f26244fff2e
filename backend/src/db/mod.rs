//! Database access: one connection type for SQLite and PostgreSQL, the pools, migrations and
//! the transaction helpers every model query runs through.
//!
//! SQLite allows one writer at a time. Rather than letting writers collide on the file lock,
//! writes go through a pool of ONE connection (in-process queueing, milliseconds) and reads through
//! a larger pool (WAL lets them run beside the writer). On PostgreSQL both are the same pool.

mod batch;
mod batch_write;
mod error;
mod manager;
mod migrate;
mod prepared;
pub mod schema;
mod writer;

use std::{sync::Arc, time::Duration};

use actix_web::web;
use diesel::{
    Connection, PgConnection, SqliteConnection,
    connection::{AnsiTransactionManager, TransactionManager},
};

pub use batch::{BatchLoad, BatchReader};
pub use batch_write::{BatchWrite, BatchWriter};
pub use error::{Cause, DbError, is_unique_violation};
pub use manager::ConnectionManager;
pub use prepared::Prepared;

use tokio::sync::Semaphore;

use crate::config::Config;

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// `$run` with `$c` bound to the backend's own connection inside `$conn: &mut AnyConnection`:
/// for statements on the paid-call path, and for what `AnyConnection` lacks (`ON CONFLICT`).
/// Through `AnyConnection` diesel builds a query's SQL again on every call before it finds the
/// prepared statement; on the backend's own connection it finds it by the query's type alone
/// (a fifth of SQLite's writer thread on paid calls, BENCHMARKS.md).
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $run:expr) => {
        match $conn {
            $crate::db::AnyConnection::Postgresql($c) => $run,
            $crate::db::AnyConnection::Sqlite($c) => $run,
        }
    };
}
pub(crate) use on_backend;

pub type Pool = r2d2::Pool<ConnectionManager>;

const WRITER_STOPPED: DbError = DbError::WorkerStopped("SQLite writer thread");

#[derive(Clone)]
pub struct Db {
    read: Pool,
    write: Pool,
    /// SQLite: one thread runs every async write, in groups that commit once (`writer`).
    /// Handing the single writer connection from one blocking thread to the next cost a third of
    /// the CPU in context switches (BENCHMARKS.md).
    writer: Option<std::sync::mpsc::Sender<writer::Job>>,
    /// Database work on the blocking pool at once: twice as many as the pool has connections,
    /// so a thread is already waiting when a connection comes free. More would only wait too,
    /// each on a thread of its own (32 requests in flight on PostgreSQL kept ~50 threads, and
    /// their memory).
    blocking: Arc<Semaphore>,
    /// How long to wait for a connection (`DB_TIMEOUT_MS`), a place among `blocking` included.
    timeout: Duration,
}

/// No connection came free in time: the database is too slow or too busy to answer.
#[derive(Debug, thiserror::Error)]
#[error("no database connection came free within {0:?}")]
struct NoConnection(Duration);

impl Db {
    /// Opens the pools (creating the SQLite file and its folder if needed) and checks that the
    /// database answers.
    pub fn connect(config: &Config) -> Result<Self, r2d2::Error> {
        let manager = ConnectionManager::new(&config.database_url, config.db_timeout);
        let build = |size: u32| {
            r2d2::Pool::builder()
                .max_size(size)
                // No idle connections kept open in the background: a connection being opened on
                // r2d2's thread while the process exits crashed libpq's TLS clean-up (CLI tasks).
                .min_idle(Some(0))
                .connection_timeout(config.db_timeout)
                // No ping per checkout (a round trip on every PostgreSQL request): a connection
                // found dead by `unavailable_if_lost` is marked broken and dropped instead.
                .test_on_check_out(false)
                .build(manager.clone())
        };
        let places = usize::try_from(config.db_pool_size).map_or(Semaphore::MAX_PERMITS, |n| 2 * n);
        let blocking = Arc::new(Semaphore::new(places));
        let timeout = config.db_timeout;
        if manager.is_networked() {
            let pool = build(config.db_pool_size)?;
            Ok(Self {
                read: pool.clone(),
                write: pool,
                writer: None,
                blocking,
                timeout,
            })
        } else {
            let inner = Self {
                read: build(config.db_pool_size)?,
                write: build(1)?,
                writer: None,
                blocking,
                timeout,
            };
            match writer::spawn(inner.clone()) {
                Ok(writer) => Ok(Self {
                    writer: Some(writer),
                    ..inner
                }),
                Err(e) => {
                    tracing::warn!(error = %e, "no SQLite writer thread: writes use the blocking pool");
                    Ok(inner)
                }
            }
        }
    }

    /// Applies pending migrations (under an advisory lock on PostgreSQL, so replicas starting
    /// together do not race).
    pub fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.write.get()?;
        migrate::run_pending(&mut conn)
    }

    /// Runs `f` on a read connection, on the blocking thread pool.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        E: Into<DbError>,
        T: Send + 'static,
    {
        let (db, place) = (self.clone(), self.blocking_place().await?);
        web::block(move || {
            let _place = place;
            db.read_blocking(f)
        })
        .await
        .map_err(|_| DbError::WorkerStopped("blocking thread pool"))?
    }

    /// A place for database work on the blocking pool, within the connection timeout.
    async fn blocking_place(&self) -> Result<tokio::sync::OwnedSemaphorePermit, DbError> {
        let place = Arc::clone(&self.blocking).acquire_owned();
        match tokio::time::timeout(self.timeout, place).await {
            Ok(place) => place.map_err(|_| DbError::WorkerStopped("blocking thread pool")),
            Err(_) => Err(DbError::Unavailable(Arc::new(NoConnection(self.timeout)))),
        }
    }

    /// `read` for callers already off the async workers.
    pub fn read_blocking<T, E>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
    ) -> Result<T, DbError>
    where
        E: Into<DbError>,
    {
        let mut conn = self.read.get()?;
        let result = f(&mut conn).map_err(Into::into);
        unavailable_if_lost(&mut conn, result)
    }

    /// Runs `f` in a write transaction on the blocking thread pool: all of it or nothing (an
    /// `Err` rolls back).
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        E: Into<DbError> + From<diesel::result::Error>,
        T: Send + 'static,
    {
        self.write_then(f, |_| ()).await
    }

    /// `write`, and `then` sees its outcome once it is known (after the commit), even if the
    /// caller has stopped waiting for it: for what must follow a committed write and only one.
    pub async fn write_then<T, E, F>(
        &self,
        f: F,
        then: impl FnOnce(&Result<T, DbError>) + Send + 'static,
    ) -> Result<T, DbError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        E: Into<DbError> + From<diesel::result::Error>,
        T: Send + 'static,
    {
        if self.writer.is_some() {
            let (tx, rx) = tokio::sync::oneshot::channel();
            self.write_ahead(f, move |outcome| {
                then(&outcome);
                let _ = tx.send(outcome);
            });
            return rx.await.map_err(|_| WRITER_STOPPED)?;
        }
        let place = match self.blocking_place().await {
            Ok(place) => place,
            Err(e) => {
                let failed = Err(e);
                then(&failed);
                return failed;
            }
        };
        let db = self.clone();
        // A blocking task runs to its end even when its caller is dropped.
        web::block(move || {
            let _place = place;
            let outcome = db.write_blocking(f);
            then(&outcome);
            outcome
        })
        .await
        .map_err(|_| DbError::WorkerStopped("blocking thread pool"))?
    }

    /// `write` for a thread of its own (not an async worker): on SQLite, queued behind the other
    /// writes on the writer thread rather than taking the one write connection from it.
    pub fn write_queued<T, E, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        E: Into<DbError> + From<diesel::result::Error>,
        T: Send + 'static,
    {
        if self.writer.is_some() {
            return self
                .queue_write(f)
                .blocking_recv()
                .map_err(|_| WRITER_STOPPED)?;
        }
        self.write_blocking(f)
    }

    /// Whether writes run one after another in the order they were asked for (SQLite's writer
    /// thread), rather than side by side.
    pub fn writes_in_order(&self) -> bool {
        self.writer.is_some()
    }

    /// Where writes run in order (`writes_in_order`): queues `f` and returns at once, and every
    /// write asked for after this returns sees what `f` wrote. `then` gets the outcome once it
    /// has committed, on the writer thread (it must be quick); elsewhere, an error at once.
    pub fn write_ahead<T, E, F>(&self, f: F, then: impl FnOnce(Result<T, DbError>) + Send + 'static)
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        E: Into<DbError> + From<diesel::result::Error>,
        T: Send + 'static,
    {
        let job = writer::job(f, then);
        let unsent = match &self.writer {
            Some(writer) => match writer.send(job) {
                Ok(()) => return,
                Err(unsent) => unsent.0,
            },
            None => job,
        };
        unsent(Err(WRITER_STOPPED))(Ok(()));
    }

    /// SQLite: `f` queued on the writer thread, and where its result will come.
    fn queue_write<T, E, F>(&self, f: F) -> tokio::sync::oneshot::Receiver<Result<T, DbError>>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        E: Into<DbError> + From<diesel::result::Error>,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.write_ahead(f, move |outcome| drop(tx.send(outcome)));
        rx
    }

    /// `write` for callers already off the async workers (CLI tasks, blocking closures).
    pub fn write_blocking<T, E>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
    ) -> Result<T, DbError>
    where
        E: Into<DbError> + From<diesel::result::Error>,
    {
        let mut conn = self.write.get()?;
        let result = write_transaction(&mut conn, f).map_err(Into::into);
        unavailable_if_lost(&mut conn, result)
    }

    /// Whether the database answers a trivial query now.
    pub async fn ping(&self) -> bool {
        use diesel::connection::SimpleConnection;
        self.read(|c| c.batch_execute("SELECT 1")).await.is_ok()
    }
}

/// A failed statement on a connection that no longer answers is the database going away (a
/// restart, a failover, a terminated backend): unavailable, for the client to retry, not a bug.
fn unavailable_if_lost<T>(
    conn: &mut AnyConnection,
    result: Result<T, DbError>,
) -> Result<T, DbError> {
    use diesel::r2d2::R2D2Connection;
    match result {
        Err(DbError::Query(cause) | DbError::Unavailable(cause)) if conn.ping().is_err() => {
            // Makes `is_broken` true, so the pool discards it rather than lending it out again.
            AnyConnection::transaction_manager_status_mut(conn).set_in_error();
            Err(DbError::Unavailable(cause))
        }
        other => other,
    }
}

/// Begins a write transaction (see `write_transaction`).
fn begin_write(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    match conn {
        AnyConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        AnyConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c),
    }
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock up
/// front: a deferred transaction that reads and then writes fails with "database is locked" when
/// another process wrote in between, instead of waiting its turn.
pub fn write_transaction<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    begin_write(conn)?;
    match f(conn) {
        Ok(value) => {
            AnyConnection::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            // The caller's error matters more than a failed rollback (which r2d2 then discards).
            let _ = AnyConnection::rollback_transaction(conn);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migrated SQLite database in `dir` whose pool lends one connection, waited for 200 ms.
    fn one_connection(dir: &std::path::Path) -> Db {
        let url = format!("sqlite://{}", dir.join("app.db").display());
        let config = Config::from_lookup(|name| match name {
            "DATABASE_URL" => Some(url.clone()),
            "DB_POOL_SIZE" => Some("1".to_owned()),
            "DB_TIMEOUT_MS" => Some("200".to_owned()),
            _ => None,
        });
        let db = Db::connect(&config.expect("a dev configuration")).expect("the database opens");
        db.migrate().expect("the migrations apply");
        db
    }

    #[tokio::test]
    async fn work_waits_for_a_place_no_longer_than_the_connection_timeout() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = one_connection(dir.path());
        let places = db.blocking.available_permits();
        assert_eq!(places, 2, "twice the pool's connections");
        let places = u32::try_from(places).expect("a few places");
        let taken = Arc::clone(&db.blocking).acquire_many_owned(places).await;
        let taken = taken.expect("every place");
        let waited = db.read(|_| Ok::<_, DbError>(())).await;
        assert!(matches!(waited, Err(DbError::Unavailable(_))), "{waited:?}");
        drop(taken);
        db.read(|_| Ok::<_, DbError>(()))
            .await
            .expect("a free place is taken");
    }
}
