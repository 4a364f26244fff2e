//! Coalesced reads by key. Lookups that arrive while a query is running wait for the next one and
//! are answered together by it (`WHERE id IN (..)`), on one thread. Under load, N round trips
//! become one: on PostgreSQL the round trip, not the query, is what a lookup costs
//! (BENCHMARKS.md). Alone, a lookup runs at once, as a plain read would.
//!
//! A lookup never joins a query already under way, so it sees every write committed before it
//! was asked: a revoked token or a disabled account is refused at once, with no cache to expire.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
    sync::mpsc,
};

use tokio::sync::oneshot;

use super::{AnyConnection, Db, DbError};

/// A row that can be read many at a time by key.
pub trait BatchLoad: Clone + Send + 'static {
    type Key: Clone + Eq + Hash + Send + 'static;

    fn key(&self) -> Self::Key;

    /// The rows of `keys` that exist (`keys` holds no duplicates).
    fn load(conn: &mut AnyConnection, keys: &[Self::Key]) -> diesel::QueryResult<Vec<Self>>;
}

/// At most this many keys per query: bounds the statement (SQLite allows 32,766 parameters).
const MAX_BATCH: usize = 256;

struct Lookup<R: BatchLoad> {
    key: R::Key,
    reply: oneshot::Sender<Result<Option<R>, DbError>>,
}

/// The handle of a reader thread; the thread ends when the last handle is dropped.
pub struct BatchReader<R: BatchLoad> {
    lookups: mpsc::Sender<Lookup<R>>,
}

impl<R: BatchLoad> BatchReader<R> {
    pub fn spawn(name: &str, db: Db) -> std::io::Result<Self> {
        let lookups = spawn_batching(name, move |batch| answer(&db, batch))?;
        Ok(Self { lookups })
    }

    /// The row of `key`, if it exists, read after this call began.
    pub async fn get(&self, key: R::Key) -> Result<Option<R>, DbError> {
        let stopped = || DbError::WorkerStopped("batch reader");
        let (reply, answer) = oneshot::channel();
        self.lookups
            .send(Lookup { key, reply })
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// A thread named `name` that hands `run` what was sent to it: the first item, with whatever
/// else is waiting by then (up to `MAX_BATCH`). It ends when the last sender is dropped.
pub(super) fn spawn_batching<T: Send + 'static>(
    name: &str,
    run: impl Fn(Vec<T>) + Send + 'static,
) -> std::io::Result<mpsc::Sender<T>> {
    let (sender, queue) = mpsc::channel::<T>();
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            while let Ok(first) = queue.recv() {
                let mut batch = vec![first];
                batch.extend(queue.try_iter().take(MAX_BATCH - 1));
                run(batch);
            }
        })?;
    Ok(sender)
}

/// Runs one query for the whole batch and replies to each lookup.
fn answer<R: BatchLoad>(db: &Db, batch: Vec<Lookup<R>>) {
    let keys: Vec<R::Key> = batch
        .iter()
        .map(|l| &l.key)
        .collect::<HashSet<_>>()
        .into_iter()
        .cloned()
        .collect();
    // A panicking query must not end the thread: its lookups see the dropped replies as errors.
    let rows = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        db.read_blocking(|conn| R::load(conn, &keys))
    }));
    let Ok(rows) = rows else { return };
    match rows {
        Ok(rows) => {
            let by_key: HashMap<R::Key, R> = rows.into_iter().map(|r| (r.key(), r)).collect();
            for lookup in batch {
                let _ = lookup.reply.send(Ok(by_key.get(&lookup.key).cloned()));
            }
        }
        Err(e) => {
            for lookup in batch {
                let _ = lookup.reply.send(Err(e.clone()));
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use shared::dto::Role;

    use super::*;
    use std::time::Duration;

    use crate::{
        config::Config,
        models::{
            OrganizationRow, SessionOwner, SessionRow, UserRow, session::Lifetime, user::CreateUser,
        },
    };

    /// A migrated SQLite database in `dir`.
    pub(in crate::db) fn sqlite_db(dir: &std::path::Path) -> Db {
        let url = format!("sqlite://{}", dir.join("app.db").display());
        let config = Config::from_lookup(|name| (name == "DATABASE_URL").then(|| url.clone()))
            .expect("a dev configuration");
        let db = Db::connect(&config).expect("the database opens");
        db.migrate().expect("the migrations apply");
        db
    }

    #[test]
    fn one_query_answers_each_lookup_with_its_own_row() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = sqlite_db(dir.path());
        let lifetime = Lifetime {
            idle: Duration::from_secs(60),
            max: Duration::from_secs(600),
        };
        // (session, personal organisation) of three users.
        let keys: Vec<(i64, i64)> = (0..3)
            .map(|i| {
                let email = format!("user{i}@example.com");
                db.write_blocking(|c| match UserRow::create(c, &email, "hash", Role::User)? {
                    CreateUser::Created(user) => {
                        let session = SessionRow::start(c, user.id, lifetime)?;
                        let personal = OrganizationRow::personal_of(c, user.id)?;
                        let personal = personal.expect("a personal organisation");
                        Ok::<_, diesel::result::Error>((session.id, personal.id))
                    }
                    CreateUser::EmailTaken => panic!("{email} is taken"),
                })
                .expect("a session")
            })
            .collect();
        let missing = (keys[2].0 + 1, keys[2].1);
        // A session with an organisation its user is not a member of matches nothing either.
        let stranger = (keys[0].0, keys[1].1);
        // Out of order, one key twice, two that match nothing.
        let asked = [keys[2], keys[0], missing, keys[2], stranger, keys[1]];

        let (batch, answers): (Vec<_>, Vec<_>) = asked
            .iter()
            .map(|&key| {
                let (reply, answer) = oneshot::channel();
                (Lookup::<SessionOwner> { key, reply }, answer)
            })
            .unzip();
        answer(&db, batch);

        for (key, answer) in asked.into_iter().zip(answers) {
            let row = answer.blocking_recv().expect("a reply").expect("a read");
            let expected = (key != missing && key != stranger).then_some(key);
            assert_eq!(row.map(|r| r.key()), expected, "lookup of {key:?}");
        }
    }
}
