use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::{LedgerEntry, UsageDay};

use super::{UserRow, now, to_utc};
use crate::{
    db::{AnyConnection, is_unique_violation, schema::credit_ledger},
    error::ApiError,
};

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = credit_ledger)]
pub struct LedgerRow {
    pub id: i64,
    pub user_id: i64,
    pub delta: i64,
    pub reason: String,
    pub reference: Option<String>,
    pub balance_after: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = credit_ledger)]
#[diesel(treat_none_as_default_value = false)]
struct NewLedgerRow<'a> {
    user_id: i64,
    delta: i64,
    reason: &'a str,
    reference: Option<&'a str>,
    balance_after: i64,
    created_at: NaiveDateTime,
}

/// Ledger reasons of refunds start with this.
pub const REFUND_PREFIX: &str = "refund: ";

/// What a credit movement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// Applied: the ledger row's id and the balance after it.
    Applied { entry_id: i64, balance: i64 },
    /// Not enough credits for a debit: nothing written.
    Insufficient,
    /// A movement with this `reference` was posted before: nothing written again.
    Duplicate,
}

impl LedgerRow {
    /// Moves `delta` credits and records it, atomically with the caller's transaction (run it
    /// inside `Db::write`). The balance never goes below zero and, for every user, `credits`
    /// equals the sum of the ledger's deltas. A `reference` makes the movement idempotent (a
    /// payment event id, a refunded entry): the unique index turns a replay into `Duplicate`.
    pub fn post(
        conn: &mut AnyConnection,
        user_id: i64,
        delta: i64,
        reason: &str,
        reference: Option<&str>,
    ) -> Result<Posted, ApiError> {
        if let Some(reference) = reference {
            if let AnyConnection::Postgresql(pg) = conn {
                // Serialises concurrent movements with the same reference (a webhook delivered
                // twice at once) until this transaction ends, so the check below is race-free.
                // SQLite needs nothing: its writers already run one at a time.
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind::<diesel::sql_types::Text, _>(reference)
                    .execute(pg)?;
            }
            let seen = credit_ledger::table
                .filter(credit_ledger::reference.eq(reference))
                .select(credit_ledger::id)
                .get_result::<i64>(conn)
                .optional()?;
            if seen.is_some() {
                return Ok(Posted::Duplicate);
            }
        }
        let Some(balance) = UserRow::adjust_credits(conn, user_id, delta)? else {
            return Ok(Posted::Insufficient);
        };
        let entry_id = diesel::insert_into(credit_ledger::table)
            .values(NewLedgerRow {
                user_id,
                delta,
                reason,
                reference,
                balance_after: balance,
                created_at: now(),
            })
            .returning(credit_ledger::id)
            .get_result::<i64>(conn)
            // Unreachable through `post` (the lock above); kept as the last line of defence.
            .map_err(|e| {
                if is_unique_violation(&e) {
                    ApiError::internal("concurrent duplicate ledger reference")
                } else {
                    e.into()
                }
            })?;
        Ok(Posted::Applied { entry_id, balance })
    }

    /// Newest first; `before` is the id of the last entry already seen (keyset, never OFFSET).
    pub fn page(
        conn: &mut AnyConnection,
        user_id: i64,
        limit: i64,
        before: Option<i64>,
    ) -> QueryResult<Vec<Self>> {
        let mut query = credit_ledger::table
            .filter(credit_ledger::user_id.eq(user_id))
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(credit_ledger::id.lt(before));
        }
        query
            .order(credit_ledger::id.desc())
            .limit(limit)
            .load(conn)
    }

    /// Credits spent and bought per UTC day from `first_day` to `last_day`, empty days included.
    pub fn usage(
        conn: &mut AnyConnection,
        user_id: i64,
        first_day: NaiveDate,
        last_day: NaiveDate,
    ) -> QueryResult<Vec<UsageDay>> {
        // Summed here rather than in SQL: date functions differ between the two backends.
        let rows: Vec<(i64, String, NaiveDateTime)> = credit_ledger::table
            .filter(credit_ledger::user_id.eq(user_id))
            .filter(credit_ledger::created_at.ge(first_day.and_time(chrono::NaiveTime::MIN)))
            .select((
                credit_ledger::delta,
                credit_ledger::reason,
                credit_ledger::created_at,
            ))
            .load(conn)?;
        let mut days: Vec<UsageDay> = first_day
            .iter_days()
            .take_while(|d| *d <= last_day)
            .map(|date| UsageDay {
                date,
                spent: 0,
                purchased: 0,
            })
            .collect();
        for (delta, reason, at) in rows {
            let Some(index) = (at.date() - first_day)
                .num_days()
                .try_into()
                .ok()
                .filter(|i: &usize| *i < days.len())
            else {
                continue;
            };
            // A refund gives back a spend: it lowers what was spent rather than counting as bought.
            if delta < 0 || reason.starts_with(REFUND_PREFIX) {
                days[index].spent -= delta;
            } else {
                days[index].purchased += delta;
            }
        }
        Ok(days)
    }

    pub fn to_dto(&self) -> LedgerEntry {
        LedgerEntry {
            id: self.id,
            delta: self.delta,
            reason: self.reason.clone(),
            balance_after: self.balance_after,
            created_at: to_utc(self.created_at),
        }
    }
}
