//! The credit ledger: every movement of credits, typed by `LedgerKind`, written in the same
//! transaction as the balance change it records.

use std::{collections::HashMap, sync::Arc};

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Date, Nullable, Text, Timestamp},
};
use shared::{
    dto::{LedgerEntry, LedgerKind, UsageDay},
    validate::{GrantAmount, GrantNote},
};

use super::{OrganizationRow, now, to_utc};
use crate::db::{AnyConnection, DbError, on_backend, schema::credit_ledger};

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = credit_ledger)]
pub struct LedgerRow {
    pub id: i64,
    pub organization_id: i64,
    /// The member who acted (the key's creator for a key's call); `None` for an operator's
    /// grant from the command line.
    pub user_id: Option<i64>,
    /// The API key that made the call, if one did.
    pub api_key_id: Option<i64>,
    pub delta: i64,
    pub kind: String,
    pub package_id: Option<String>,
    pub route: Option<String>,
    pub refunded_entry_id: Option<i64>,
    pub note: Option<String>,
    pub reference: Option<String>,
    pub balance_after: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = credit_ledger)]
#[diesel(treat_none_as_default_value = false)]
struct NewLedgerRow<'a> {
    organization_id: i64,
    user_id: Option<i64>,
    api_key_id: Option<i64>,
    delta: i64,
    kind: &'static str,
    package_id: Option<&'a str>,
    route: Option<&'a str>,
    refunded_entry_id: Option<i64>,
    note: Option<&'a str>,
    reference: Option<&'a str>,
    balance_after: i64,
    created_at: NaiveDateTime,
}

impl<'a> NewLedgerRow<'a> {
    /// The row of a movement, its kind split into the kind column and the detail columns.
    fn new(
        organization_id: i64,
        actor: Actor,
        delta: i64,
        kind: &'a LedgerKind,
        balance_after: i64,
    ) -> Self {
        let mut row = Self {
            organization_id,
            user_id: actor.user_id,
            api_key_id: actor.api_key_id,
            delta,
            kind: kind.name(),
            package_id: None,
            route: None,
            refunded_entry_id: None,
            note: None,
            reference: None,
            balance_after,
            created_at: now(),
        };
        match kind {
            LedgerKind::Purchase { package_id } => row.package_id = Some(package_id),
            LedgerKind::Grant { note } => row.note = Some(note),
            LedgerKind::Spend { route } => row.route = Some(route),
            LedgerKind::Refund {
                refunded_entry_id,
                route,
            } => {
                row.refunded_entry_id = Some(*refunded_entry_id);
                row.route = Some(route);
            }
        }
        row
    }
}

/// An organisation's movements per UTC day, kind and sign, summed: `date()` and these placeholders read
/// the same on SQLite (where `$1` is a parameter too) and PostgreSQL.
const DAY_TOTALS: &str = "\
    SELECT date(created_at) AS day, kind, CAST(SUM(delta) AS BIGINT) AS total \
    FROM credit_ledger \
    WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3 \
    AND (CAST($4 AS BIGINT) IS NULL OR api_key_id = $4) \
    GROUP BY date(created_at), kind, delta < 0";

/// Per API key of organisation `$2`, the credits it spent (refunds netted) from `$3`, and of
/// those from `$1`: this month's and today's spend. (SQLite numbers parameters in the order
/// they first appear, so they appear in the order they are bound.)
const KEY_SPEND: &str = "\
    SELECT api_key_id, \
    CAST(SUM(CASE WHEN created_at >= $1 THEN -delta ELSE 0 END) AS BIGINT) AS since_day, \
    CAST(SUM(-delta) AS BIGINT) AS since_month \
    FROM credit_ledger \
    WHERE organization_id = $2 AND created_at >= $3 AND api_key_id IS NOT NULL \
    AND kind IN ('spend', 'refund') \
    GROUP BY api_key_id";

/// One row of `KEY_SPEND`.
#[derive(QueryableByName)]
struct KeySpend {
    #[diesel(sql_type = BigInt)]
    api_key_id: i64,
    #[diesel(sql_type = BigInt)]
    since_day: i64,
    #[diesel(sql_type = BigInt)]
    since_month: i64,
}

/// One row of `DAY_TOTALS`.
#[derive(QueryableByName)]
struct DayTotal {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// What a key spent in the current UTC day and month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spent {
    pub today: i64,
    pub this_month: i64,
}

/// Who moved credits, recorded on the ledger row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub api_key_id: Option<i64>,
}

impl Actor {
    /// A member, by hand or through a browser session.
    pub fn user(user_id: i64) -> Self {
        Self {
            user_id: Some(user_id),
            api_key_id: None,
        }
    }
}

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

/// What an operator's grant came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granted {
    /// The organisation's new balance.
    Applied {
        balance: i64,
    },
    NoSuchOrganization,
    /// Taking back more than the balance holds: nothing written.
    WouldGoNegative,
}

/// A row whose kind is unknown to this release, or lacks the details its kind needs.
#[derive(Debug, thiserror::Error)]
#[error("ledger entry {id} has kind {kind:?} without the details it needs")]
pub struct UnreadableEntry {
    id: i64,
    kind: String,
}

impl LedgerRow {
    /// Moves `delta` credits and records why, atomically with the caller's transaction (run it
    /// inside `Db::write`). The balance never goes below zero and, for every organisation,
    /// `credits` equals the sum of the ledger's deltas. A `reference` makes the movement idempotent (a
    /// payment event id, a refunded entry): the unique index turns a replay into `Duplicate`.
    pub fn post(
        conn: &mut AnyConnection,
        organization_id: i64,
        actor: Actor,
        delta: i64,
        kind: &LedgerKind,
        reference: Option<&str>,
    ) -> QueryResult<Posted> {
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
        let Some(balance) = OrganizationRow::adjust_credits(conn, organization_id, delta)? else {
            return Ok(Posted::Insufficient);
        };
        // A unique violation here is unreachable through `post` (the lock above); it stays an
        // error, the last line of defence.
        let insert = diesel::insert_into(credit_ledger::table)
            .values(NewLedgerRow {
                reference,
                ..NewLedgerRow::new(organization_id, actor, delta, kind, balance)
            })
            .returning(credit_ledger::id);
        let entry_id: i64 = on_backend!(conn, |c| insert.get_result(c))?;
        Ok(Posted::Applied { entry_id, balance })
    }

    /// An operator (`operator`: a site admin's user id; `None` from the command line) adds
    /// `amount` credits (negative takes back) to an organisation, with their note.
    pub fn grant(
        conn: &mut AnyConnection,
        organization_id: i64,
        operator: Option<i64>,
        amount: GrantAmount,
        note: GrantNote,
    ) -> QueryResult<Granted> {
        if OrganizationRow::find(conn, organization_id)?.is_none() {
            return Ok(Granted::NoSuchOrganization);
        }
        let actor = Actor {
            user_id: operator,
            api_key_id: None,
        };
        let kind = LedgerKind::Grant {
            note: note.into_inner(),
        };
        Ok(
            match Self::post(conn, organization_id, actor, amount.get(), &kind, None)? {
                Posted::Applied { balance, .. } => Granted::Applied { balance },
                Posted::Insufficient | Posted::Duplicate => Granted::WouldGoNegative,
            },
        )
    }

    /// Newest first; `before` is the id of the last entry already seen (keyset, never OFFSET).
    pub fn page(
        conn: &mut AnyConnection,
        organization_id: i64,
        limit: i64,
        before: Option<i64>,
    ) -> Result<Vec<LedgerEntry>, DbError> {
        let mut query = credit_ledger::table
            .filter(credit_ledger::organization_id.eq(organization_id))
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(credit_ledger::id.lt(before));
        }
        let rows: Vec<Self> = query
            .order(credit_ledger::id.desc())
            .limit(limit)
            .load(conn)?;
        rows.into_iter().map(Self::into_dto).collect()
    }

    /// Credits spent and bought per UTC day from `first_day` to `last_day`, empty days included;
    /// with `key_id`, only that API key's calls (and their refunds). The database sums the rows:
    /// what is read is a few totals per day, however many calls.
    pub fn usage(
        conn: &mut AnyConnection,
        organization_id: i64,
        key_id: Option<i64>,
        first_day: NaiveDate,
        last_day: NaiveDate,
    ) -> QueryResult<Vec<UsageDay>> {
        let midnight = |day: NaiveDate| day.and_time(NaiveTime::MIN);
        let totals: Vec<DayTotal> = diesel::sql_query(DAY_TOTALS)
            .bind::<BigInt, _>(organization_id)
            .bind::<Timestamp, _>(midnight(first_day))
            .bind::<Timestamp, _>(midnight(last_day + Days::new(1)))
            .bind::<Nullable<BigInt>, _>(key_id)
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
        for row in totals {
            let offset = (row.day - first_day).num_days();
            let Some(day) = usize::try_from(offset).ok().and_then(|i| days.get_mut(i)) else {
                continue;
            };
            if LedgerKind::is_spending(&row.kind, row.total) {
                day.spent -= row.total;
            } else {
                day.purchased += row.total;
            }
        }
        Ok(days)
    }

    /// What each API key of the organisation spent, refunds netted, since `month_start` and
    /// since `day_start`, by key id (keys that spent nothing are not in it).
    pub fn spent_by_key(
        conn: &mut AnyConnection,
        organization_id: i64,
        month_start: NaiveDateTime,
        day_start: NaiveDateTime,
    ) -> QueryResult<HashMap<i64, Spent>> {
        let rows: Vec<KeySpend> = diesel::sql_query(KEY_SPEND)
            .bind::<Timestamp, _>(day_start)
            .bind::<BigInt, _>(organization_id)
            .bind::<Timestamp, _>(month_start)
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let spent = Spent {
                    today: row.since_day,
                    this_month: row.since_month,
                };
                (row.api_key_id, spent)
            })
            .collect())
    }

    /// The typed movement this row records.
    pub fn kind(&self) -> Result<LedgerKind, DbError> {
        let kind = match (self.kind.as_str(), self) {
            (
                "purchase",
                Self {
                    package_id: Some(package_id),
                    ..
                },
            ) => LedgerKind::Purchase {
                package_id: package_id.clone(),
            },
            (
                "grant",
                Self {
                    note: Some(note), ..
                },
            ) => LedgerKind::Grant { note: note.clone() },
            (
                "spend",
                Self {
                    route: Some(route), ..
                },
            ) => LedgerKind::Spend {
                route: route.clone(),
            },
            (
                "refund",
                Self {
                    route: Some(route),
                    refunded_entry_id: Some(refunded_entry_id),
                    ..
                },
            ) => LedgerKind::Refund {
                refunded_entry_id: *refunded_entry_id,
                route: route.clone(),
            },
            _ => {
                return Err(DbError::Query(Arc::new(UnreadableEntry {
                    id: self.id,
                    kind: self.kind.clone(),
                })));
            }
        };
        Ok(kind)
    }

    fn into_dto(self) -> Result<LedgerEntry, DbError> {
        let kind = self.kind()?;
        Ok(LedgerEntry {
            id: self.id,
            delta: self.delta,
            reason: kind.legacy_reason(),
            kind,
            balance_after: self.balance_after,
            created_at: to_utc(self.created_at),
        })
    }
}
