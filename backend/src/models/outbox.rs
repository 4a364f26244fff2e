//! The outbox: every email, written in the transaction of the action that causes it, then sent
//! by a background sender in every replica (`mail::sender`).
//!
//! A sender claims due rows by moving `next_attempt_at` past a lease and counting the attempt,
//! in one write transaction (PostgreSQL skips rows another replica has locked; SQLite runs one
//! writer at a time). A replica that dies mid-send leaves its rows due again when the lease ends.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{after, now};
use crate::db::{AnyConnection, schema::outbox};

/// How long a sent or given-up email's row is kept, for the record.
const KEEP_DONE: Duration = Duration::from_secs(30 * 86_400);

/// An email ready for the outbox: rendered, addressed, not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Which email it is (`verify_email`, `password_changed`, ...), for the logs.
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = outbox)]
struct NewRow<'a> {
    kind: &'a str,
    to_address: &'a str,
    subject: &'a str,
    text_body: &'a str,
    html_body: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// Rows neither sent nor given up.
macro_rules! pending {
    () => {
        outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null())
    };
}

impl OutboxRow {
    /// Writes `email`, due at once. Call it inside the transaction of the action it reports.
    pub fn enqueue(conn: &mut AnyConnection, email: &Outgoing) -> QueryResult<()> {
        let at = now();
        diesel::insert_into(outbox::table)
            .values(NewRow {
                kind: email.kind,
                to_address: &email.to,
                subject: &email.subject,
                text_body: &email.text,
                html_body: &email.html,
                attempts: 0,
                next_attempt_at: at,
                created_at: at,
            })
            .execute(conn)
            .map(drop)
    }

    /// Claims up to `limit` due rows for `lease`: no other sender takes them until it ends. Run
    /// it in a write transaction (`Db::write`).
    pub fn claim(conn: &mut AnyConnection, limit: i64, lease: Duration) -> QueryResult<Vec<Self>> {
        let at = now();
        let due = pending!()
            .filter(outbox::next_attempt_at.le(at))
            .order(outbox::next_attempt_at)
            .select(outbox::id)
            .limit(limit);
        let ids: Vec<i64> = match conn {
            AnyConnection::Postgresql(pg) => due.for_update().skip_locked().load(pg)?,
            AnyConnection::Sqlite(sqlite) => due.load(sqlite)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::next_attempt_at.eq(after(at, lease)),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .returning(outbox::all_columns)
            .get_results(conn)
    }

    /// When the next pending row is due, if any: a read, so an idle sender costs no write.
    pub fn next_due(conn: &mut AnyConnection) -> QueryResult<Option<NaiveDateTime>> {
        pending!()
            .select(diesel::dsl::min(outbox::next_attempt_at))
            .get_result(conn)
    }

    /// Records the delivery, and clears the bodies: they can hold a link's token.
    pub fn mark_sent(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
        diesel::update(outbox::table.find(id))
            .set((
                outbox::sent_at.eq(now()),
                outbox::text_body.eq(""),
                outbox::html_body.eq(""),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Records a failed delivery: due again at `retry_at`, or given up when `None` (the bodies
    /// cleared as when sent).
    pub fn mark_failed(
        conn: &mut AnyConnection,
        id: i64,
        error: &str,
        retry_at: Option<NaiveDateTime>,
    ) -> QueryResult<()> {
        let target = outbox::table.find(id);
        match retry_at {
            Some(at) => diesel::update(target)
                .set((outbox::next_attempt_at.eq(at), outbox::last_error.eq(error)))
                .execute(conn),
            None => diesel::update(target)
                .set((
                    outbox::failed_at.eq(now()),
                    outbox::last_error.eq(error),
                    outbox::text_body.eq(""),
                    outbox::html_body.eq(""),
                ))
                .execute(conn),
        }
        .map(drop)
    }

    /// Deletes rows sent or given up more than `KEEP_DONE` ago (housekeeping): their bodies are
    /// gone already, and what is left only explains recent deliveries.
    pub fn purge_done(conn: &mut AnyConnection) -> QueryResult<usize> {
        let cutoff = super::before(now(), KEEP_DONE);
        diesel::delete(
            outbox::table.filter(outbox::sent_at.lt(cutoff).or(outbox::failed_at.lt(cutoff))),
        )
        .execute(conn)
    }
}
