//! Idempotency keys of paid POST requests, per organisation. The first request with a key
//! claims it inside its debit's transaction, so identical requests racing each other charge
//! once; its answer is stored when it has one and replayed to retries for 24 hours.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use shared::validate::IDEMPOTENCY_WINDOW_HOURS;

use crate::db::{AnyConnection, BatchWrite, Prepared, on_backend, schema::idempotency_keys};

/// How long a key and its answer are kept.
pub const WINDOW: TimeDelta = TimeDelta::hours(IDEMPOTENCY_WINDOW_HOURS);

/// An answer kept for replay: its status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub status: u16,
    pub body: String,
}

/// What claiming an idempotency key came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The first request with the key: it runs, and its answer is stored under the key.
    Claimed,
    Taken(Taken),
}

/// Why a request cannot claim its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The same request was answered before: replay the answer, charge nothing.
    Answered(StoredAnswer),
    /// The same request is still running.
    InProgress,
    /// The key was used with another request.
    Reused,
}

#[derive(Debug, Queryable)]
#[diesel(table_name = idempotency_keys)]
struct Row {
    fingerprint: String,
    created_at: NaiveDateTime,
    status_code: Option<i32>,
    response_body: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = idempotency_keys)]
struct NewRow<'a> {
    organization_id: i64,
    idempotency_key: &'a str,
    fingerprint: &'a str,
    created_at: NaiveDateTime,
}

/// The organisation's use of idempotency key values.
pub struct IdempotencyKeys;

impl IdempotencyKeys {
    /// Claims `key` for a request with `fingerprint` at `at`, or says why not. Run it inside the
    /// debit's `Db::write`: on PostgreSQL a second claim of the same key waits for the first
    /// transaction, then sees its outcome (a rolled-back or released claim frees the key).
    pub fn claim(
        conn: &mut AnyConnection,
        organization_id: i64,
        key: &str,
        fingerprint: &str,
        at: NaiveDateTime,
    ) -> QueryResult<Claim> {
        let new = NewRow {
            organization_id,
            idempotency_key: key,
            fingerprint,
            created_at: at,
        };
        // Three rounds at most: a key past its window is deleted and claimed again, and a
        // concurrent request may have done the same in between.
        for _ in 0..3 {
            if Self::insert_new(conn, &new)? {
                return Ok(Claim::Claimed);
            }
            let found: Option<Row> = idempotency_keys::table
                .find((organization_id, key))
                .select((
                    idempotency_keys::fingerprint,
                    idempotency_keys::created_at,
                    idempotency_keys::status_code,
                    idempotency_keys::response_body,
                ))
                .first(conn)
                .optional()?;
            let Some(row) = found else { continue };
            if row.created_at + WINDOW <= at {
                Self::release(conn, organization_id, key)?;
                continue;
            }
            if row.fingerprint != fingerprint {
                return Ok(Claim::Taken(Taken::Reused));
            }
            return Ok(Claim::Taken(match (row.status_code, row.response_body) {
                (Some(status), Some(body)) => Taken::Answered(StoredAnswer {
                    status: u16::try_from(status).unwrap_or(500),
                    body,
                }),
                _ => Taken::InProgress,
            }));
        }
        Ok(Claim::Taken(Taken::InProgress))
    }

    /// Inserts the claim unless the organisation holds the key already; whether it did.
    fn insert_new(conn: &mut AnyConnection, new: &NewRow) -> QueryResult<bool> {
        let insert = diesel::insert_into(idempotency_keys::table)
            .values(new)
            .on_conflict((
                idempotency_keys::organization_id,
                idempotency_keys::idempotency_key,
            ))
            .do_nothing();
        Ok(on_backend!(conn, |c| insert.execute(c))? == 1)
    }

    /// Gives the organisation's claim of `key` up (its request charged nothing, or was
    /// refunded): a retry runs anew.
    pub fn release(conn: &mut AnyConnection, organization_id: i64, key: &str) -> QueryResult<()> {
        diesel::delete(idempotency_keys::table.find((organization_id, key)))
            .execute(conn)
            .map(drop)
    }

    /// Deletes the keys whose window has ended at `at`; returns how many.
    pub fn purge_expired(conn: &mut AnyConnection, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.le(at - WINDOW)))
            .execute(conn)
    }
}

/// The answer of a claimed request, stored for its retries (`AppState::answers`).
#[derive(Debug)]
pub struct Answer {
    pub organization_id: i64,
    pub key: String,
    pub answer: StoredAnswer,
}

impl BatchWrite for Answer {
    fn write(conn: &mut AnyConnection, answers: &[Self]) -> QueryResult<()> {
        for Answer {
            organization_id,
            key,
            answer,
        } in answers
        {
            let update = Prepared(
                diesel::update(idempotency_keys::table.find((organization_id, key)))
                    .set((
                        idempotency_keys::status_code.eq(i32::from(answer.status)),
                        idempotency_keys::response_body.eq(&answer.body),
                    ))
                    .returning(idempotency_keys::status_code),
            );
            on_backend!(&mut *conn, |c| update.load::<Option<i32>>(c))?;
        }
        Ok(())
    }
}
