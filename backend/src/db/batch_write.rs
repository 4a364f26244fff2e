//! Coalesced writes. Items that arrive while a transaction runs wait for the next one and are
//! written together by it (up to 256), on one thread: under load, N commits become one (on
//! PostgreSQL, round trips and commits). Alone, an item is written at once. Each caller hears
//! back once its item has committed; or, with `write_ahead` on SQLite, as soon as every later
//! write is sure to see it.

use std::sync::mpsc;

use tokio::sync::oneshot;

use super::{AnyConnection, Db, DbError, batch::spawn_batching};

/// Rows that can be written many at a time, in one transaction.
pub trait BatchWrite: Send + Sized + 'static {
    fn write(conn: &mut AnyConnection, items: &[Self]) -> diesel::QueryResult<()>;
}

type Pending<W> = (W, oneshot::Sender<Result<(), DbError>>);

/// The handle of a writer thread; the thread ends when the last handle is dropped.
pub struct BatchWriter<W: BatchWrite> {
    items: mpsc::Sender<Pending<W>>,
    db: Db,
}

impl<W: BatchWrite> BatchWriter<W> {
    pub fn spawn(name: &str, db: Db) -> std::io::Result<Self> {
        let writes = db.clone();
        let items = spawn_batching(name, move |batch| commit(&writes, batch))?;
        Ok(Self { items, db })
    }

    /// Writes `item` so that every write asked for after this returns sees it; a failure goes
    /// to `failed`. On SQLite that takes no wait: the item is queued on the writer thread, which
    /// runs writes in the order they were queued (`Db::write_ahead`), and `failed` is called
    /// there. Elsewhere, where writes run side by side, this returns once it has committed.
    pub async fn write_ahead(&self, item: W, failed: impl FnOnce(DbError) + Send + 'static) {
        if !self.db.writes_in_order() {
            return self.write(item).await.unwrap_or_else(failed);
        }
        let write = move |conn: &mut AnyConnection| W::write(conn, std::slice::from_ref(&item));
        self.db
            .write_ahead(write, |outcome| outcome.unwrap_or_else(failed));
    }

    /// Writes `item`; returns once it has committed.
    pub async fn write(&self, item: W) -> Result<(), DbError> {
        let stopped = || DbError::WorkerStopped("batch writer");
        let (reply, committed) = oneshot::channel();
        self.items.send((item, reply)).map_err(|_| stopped())?;
        committed.await.map_err(|_| stopped())?
    }
}

/// Writes the whole batch in one transaction and tells each caller how it went.
fn commit<W: BatchWrite>(db: &Db, batch: Vec<Pending<W>>) {
    let (items, replies): (Vec<W>, Vec<_>) = batch.into_iter().unzip();
    // A panicking write must not end the thread: its callers see the dropped replies as errors.
    // Queued behind the other writes (SQLite's writer thread), not taking their connection.
    let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.write_queued(move |conn| W::write(conn, &items))
    }));
    let Ok(written) = written else { return };
    for reply in replies {
        let _ = reply.send(written.clone());
    }
}
