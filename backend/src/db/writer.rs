//! SQLite's writer thread, with group commit. Writes that queue up while a transaction runs are
//! run together by the next one, each inside a savepoint of its own, and committed once: a
//! write that fails rolls back to its savepoint and leaves the others alone. On SQLite the commit
//! (the WAL frames of every page the transaction touched) is what a small write costs, so N
//! writes cost about one (BENCHMARKS.md). Alone, a write is committed at once. Each caller hears
//! back only once the group has committed, so it never acts on a write that may yet be undone.

use std::{num::NonZeroU32, panic::AssertUnwindSafe, sync::mpsc};

use diesel::{
    Connection, QueryResult, RunQueryDsl,
    backend::Backend,
    connection::TransactionManager,
    query_builder::{AstPass, QueryFragment, QueryId},
};

use super::{
    AnyConnection, Db, DbError, WRITER_STOPPED, batch::spawn_batching, begin_write,
    unavailable_if_lost,
};

/// A queued write: run in the group's transaction (or told why there is none), it returns what
/// tells its caller the outcome once the group's commit is known.
pub(super) type Job = Box<dyn FnOnce(Result<&mut AnyConnection, DbError>) -> Finish + Send>;

/// Tells a caller its write's outcome, given the group's commit.
pub(super) type Finish = Box<dyn FnOnce(Result<(), DbError>) + Send>;

type Tm = <AnyConnection as Connection>::TransactionManager;

/// The writer thread of `db` (whose writes go straight to its pool of one connection).
pub(super) fn spawn(db: Db) -> std::io::Result<mpsc::Sender<Job>> {
    spawn_batching("sqlite-writer", move |jobs| run_group(&db, jobs))
}

/// A job running `f` in a savepoint, which hands its outcome to `reply` once the group has
/// committed (on the writer thread: `reply` must be quick).
pub(super) fn job<T, E, F>(f: F, reply: impl FnOnce(Result<T, DbError>) + Send + 'static) -> Job
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
    E: Into<DbError> + From<diesel::result::Error>,
    T: Send + 'static,
{
    Box::new(move |conn| {
        let outcome = conn.and_then(|conn| in_savepoint(conn, f));
        Box::new(move |committed| reply(outcome.and_then(|value| committed.map(|()| value))))
    })
}

/// Runs `jobs` in one transaction and tells each how it went.
fn run_group(db: &Db, jobs: Vec<Job>) {
    let mut conn = match db.write.get() {
        Ok(conn) => conn,
        Err(e) => return fail_all(jobs, e.into()),
    };
    if let Err(e) = begin_write(&mut conn) {
        return fail_all(jobs, e.into());
    }
    let mut finishes = Vec::with_capacity(jobs.len());
    for job in jobs {
        // A panicking job must not take the others down: its caller sees the dropped reply as
        // an internal error, and its savepoint (if it opened one) is rolled back.
        match std::panic::catch_unwind(AssertUnwindSafe(|| job(Ok(&mut conn)))) {
            Ok(finish) => finishes.push(finish),
            Err(_) => roll_back_job(&mut conn),
        }
    }
    let committed = if depth(&mut conn) == 1 {
        Tm::commit_transaction(&mut conn).map_err(DbError::from)
    } else {
        Err(WRITER_STOPPED)
    };
    if committed.is_err() {
        // The caller's error matters more than a failed rollback (which r2d2 then discards).
        let _ = Tm::rollback_transaction(&mut conn);
    }
    let committed = unavailable_if_lost(&mut conn, committed);
    for finish in finishes {
        finish(committed.clone());
    }
}

/// `f` in a savepoint: released when it succeeds, rolled back when it fails.
fn in_savepoint<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, DbError>
where
    E: Into<DbError> + From<diesel::result::Error>,
{
    SAVEPOINT.execute(conn)?;
    let outcome = f(conn)
        .map_err(Into::into)
        .and_then(|value| Ok(RELEASE.execute(conn).map(|_| value)?));
    if outcome.is_err() {
        roll_back_job(conn);
    }
    outcome
}

/// Rolls back what the current job wrote, savepoints it opened through diesel included. If that
/// fails, the group's commit fails too, rather than keep half of the job.
fn roll_back_job(conn: &mut AnyConnection) {
    let mut undone = true;
    while undone && depth(conn) > 1 {
        undone = Tm::rollback_transaction(conn).is_ok();
    }
    undone = undone && ROLLBACK.execute(conn).is_ok() && RELEASE.execute(conn).is_ok();
    if !undone {
        Tm::transaction_manager_status_mut(conn).set_in_error();
    }
}

/// A job's savepoint statements, which diesel prepares once and keeps: its transaction manager
/// sends its own as text, parsed again each time (a tenth of the writer thread's time).
struct Savepoint(&'static str);

const SAVEPOINT: Savepoint = Savepoint("SAVEPOINT job");
const RELEASE: Savepoint = Savepoint("RELEASE job");
const ROLLBACK: Savepoint = Savepoint("ROLLBACK TO job");

impl QueryId for Savepoint {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB: Backend> QueryFragment<DB> for Savepoint {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(self.0);
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Savepoint {}

/// How many transactions and savepoints are open (0 when the manager is in error).
fn depth(conn: &mut AnyConnection) -> u32 {
    Tm::transaction_manager_status_mut(conn)
        .transaction_depth()
        .ok()
        .flatten()
        .map_or(0, NonZeroU32::get)
}

/// Tells every job of a group that could not start why.
fn fail_all(jobs: Vec<Job>, e: DbError) {
    for job in jobs {
        job(Err(e.clone()))(Ok(()));
    }
}

#[cfg(test)]
mod tests {
    use diesel::{RunQueryDsl, sql_query};
    use tokio::sync::oneshot;

    use super::*;
    use crate::db::batch::tests::sqlite_db;

    type Reply = oneshot::Receiver<Result<i64, DbError>>;

    /// A job writing `x` into `t` (then failing, if `then` says so), and where its reply comes.
    fn writes(x: i64, then: fn() -> Result<(), DbError>) -> (Job, Reply) {
        let (tx, rx) = oneshot::channel();
        let f = move |c: &mut AnyConnection| {
            sql_query(format!("INSERT INTO t (x) VALUES ({x})")).execute(c)?;
            then().map(|()| x)
        };
        (job(f, reply_on(tx)), rx)
    }

    fn reply_on(tx: oneshot::Sender<Result<i64, DbError>>) -> impl FnOnce(Result<i64, DbError>) {
        move |outcome| drop(tx.send(outcome))
    }

    fn fine() -> Result<(), DbError> {
        Ok(())
    }

    fn fails() -> Result<(), DbError> {
        Err(DbError::WorkerStopped("test job"))
    }

    fn panics() -> Result<(), DbError> {
        panic!("a job with a bug")
    }

    fn rows(db: &Db) -> Vec<i64> {
        db.read_blocking(|c| {
            #[derive(diesel::QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                x: i64,
            }
            sql_query("SELECT x FROM t ORDER BY x").load::<Row>(c)
        })
        .expect("t reads")
        .into_iter()
        .map(|r| r.x)
        .collect()
    }

    /// A group on a fresh database with table `t` (whose `parent` must name a row of `t` by
    /// the end of the transaction).
    fn db_with_table(dir: &std::path::Path) -> Db {
        let db = sqlite_db(dir);
        db.write_blocking(|c| {
            sql_query(
                "CREATE TABLE t (x INTEGER PRIMARY KEY, \
                 parent INTEGER REFERENCES t (x) DEFERRABLE INITIALLY DEFERRED)",
            )
            .execute(c)
        })
        .expect("t is created");
        db
    }

    #[test]
    fn a_failed_or_panicking_write_undoes_itself_and_no_other() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = db_with_table(dir.path());
        let (jobs, replies): (Vec<_>, Vec<_>) = [
            writes(1, fine),
            writes(2, fails),
            writes(3, panics),
            writes(4, fine),
        ]
        .into_iter()
        .unzip();
        run_group(&db, jobs);
        let outcomes: Vec<_> = replies
            .into_iter()
            .map(|reply| match reply.blocking_recv() {
                Ok(Ok(x)) => Ok(x),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err("dropped".to_owned()),
            })
            .collect();
        assert_eq!(
            outcomes,
            [
                Ok(1),
                Err(fails().expect_err("fails").to_string()),
                Err("dropped".to_owned()),
                Ok(4)
            ]
        );
        assert_eq!(rows(&db), [1, 4]);
    }

    #[test]
    fn no_write_of_a_group_is_reported_done_when_its_commit_fails() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = db_with_table(dir.path());
        let (ok, ok_reply) = writes(1, fine);
        // Its savepoint is released, but the deferred foreign key fails the commit.
        let (tx, orphan_reply) = oneshot::channel();
        let orphan = job(
            |c: &mut AnyConnection| {
                sql_query("INSERT INTO t (x, parent) VALUES (2, 99)")
                    .execute(c)
                    .map(|_| 2_i64)
            },
            reply_on(tx),
        );
        run_group(&db, vec![ok, orphan]);
        for reply in [ok_reply, orphan_reply] {
            let outcome = reply.blocking_recv().expect("a reply");
            assert!(outcome.is_err(), "{outcome:?}");
        }
        assert!(rows(&db).is_empty());
        // The writer goes on: the next group commits.
        let (ok, ok_reply) = writes(5, fine);
        run_group(&db, vec![ok]);
        assert_eq!(ok_reply.blocking_recv().expect("a reply").ok(), Some(5));
        assert_eq!(rows(&db), [5]);
    }
}
