//! Per-key spend limits: what a key with a limit spent in its current UTC day and calendar
//! month, checked and counted in the paid call's own transaction by one conditional UPDATE. On
//! PostgreSQL the UPDATE locks the key's row and checks its condition again once it has the lock
//! (SQLite's writers already run one at a time), so concurrent calls on one key are admitted one
//! after another and never pass the limit together. Keys without a limit skip all of this.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::{
    backend::Backend,
    prelude::*,
    query_builder::{AstPass, QueryFragment, QueryId},
    serialize::ToSql,
    sql_types::{BigInt, HasSqlType, Timestamp},
};

use crate::db::{AnyConnection, on_backend, schema::api_keys};

/// A UTC window a limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Day,
    Month,
}

impl Window {
    /// The first instant of the window holding `at`.
    pub fn start(self, at: NaiveDateTime) -> NaiveDateTime {
        let date = at.date();
        let first = match self {
            Self::Day => date,
            Self::Month => date.with_day(1).unwrap_or(date),
        };
        first.and_time(NaiveTime::MIN)
    }

    /// The first instant of the next window, when a refused key may spend again.
    pub fn resets_at(self, at: NaiveDateTime) -> NaiveDateTime {
        let start = self.start(at).date();
        let next = match self {
            Self::Day => start.succ_opt(),
            Self::Month => start.checked_add_months(Months::new(1)),
        };
        next.unwrap_or(NaiveDate::MAX).and_time(NaiveTime::MIN)
    }

    /// What a count of `spent` since `start` makes in the window holding `at`: nothing when the
    /// count belongs to an earlier window.
    pub fn current(self, spent: i64, start: Option<NaiveDateTime>, at: NaiveDateTime) -> i64 {
        if start == Some(self.start(at)) {
            spent
        } else {
            0
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "daily",
            Self::Month => "monthly",
        }
    }
}

/// A limit a spend would pass: nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached {
    pub window: Window,
    pub limit: i64,
    pub resets_at: NaiveDateTime,
}

/// Checks and counts a spend in one statement: each window's count restarts at 0 when the stored
/// one belongs to an earlier window, and the row changes only if both limits allow the spend.
/// `$1` the day's start, `$2` the amount, `$3` the month's start, `$4` the key (`CountSpend`).
const COUNT_SPEND: &str = "\
    UPDATE api_keys SET \
    spent_day = CASE WHEN spent_day_start = $1 THEN spent_day ELSE 0 END + $2, \
    spent_day_start = $1, \
    spent_month = CASE WHEN spent_month_start = $3 THEN spent_month ELSE 0 END + $2, \
    spent_month_start = $3 \
    WHERE id = $4 \
    AND (spend_limit_daily IS NULL \
    OR CASE WHEN spent_day_start = $1 THEN spent_day ELSE 0 END + $2 <= spend_limit_daily) \
    AND (spend_limit_monthly IS NULL \
    OR CASE WHEN spent_month_start = $3 THEN spent_month ELSE 0 END + $2 <= spend_limit_monthly)";

/// A limited key's windows as read at `at`, to tell which limit refused a spend.
#[derive(Debug, Clone, Copy)]
pub struct KeyWindows {
    at: NaiveDateTime,
    daily: Option<i64>,
    monthly: Option<i64>,
    /// Spent in the window holding `at`.
    spent_day: i64,
    spent_month: i64,
}

type Counters = (
    Option<i64>,
    Option<i64>,
    i64,
    Option<NaiveDateTime>,
    i64,
    Option<NaiveDateTime>,
);

impl KeyWindows {
    /// Counts a spend of `amount` at `at` against key `key_id`'s windows if both its limits
    /// allow it; else writes nothing and says which limit refused. Run it inside `Db::write`.
    pub fn count(
        conn: &mut AnyConnection,
        key_id: i64,
        amount: i64,
        at: NaiveDateTime,
    ) -> QueryResult<Result<(), LimitReached>> {
        let count = CountSpend {
            day: Window::Day.start(at),
            amount,
            month: Window::Month.start(at),
            key_id,
        };
        let counted = on_backend!(conn, |c| count.execute(c))?;
        if counted == 1 {
            return Ok(Ok(()));
        }
        let refused = Self::read(conn, key_id, at)?.admits(amount);
        // A key gone since it was read admits nothing: refuse by its daily window.
        Ok(Err(refused.err().unwrap_or(LimitReached {
            window: Window::Day,
            limit: 0,
            resets_at: Window::Day.resets_at(at),
        })))
    }

    /// Key `key_id`'s windows at `at`.
    fn read(conn: &mut AnyConnection, key_id: i64, at: NaiveDateTime) -> QueryResult<Self> {
        let (daily, monthly, day, day_start, month, month_start): Counters = api_keys::table
            .find(key_id)
            .select((
                api_keys::spend_limit_daily,
                api_keys::spend_limit_monthly,
                api_keys::spent_day,
                api_keys::spent_day_start,
                api_keys::spent_month,
                api_keys::spent_month_start,
            ))
            .first(conn)?;
        Ok(Self {
            at,
            daily,
            monthly,
            spent_day: Window::Day.current(day, day_start, at),
            spent_month: Window::Month.current(month, month_start, at),
        })
    }

    /// Whether spending `amount` more stays within both limits.
    fn admits(&self, amount: i64) -> Result<(), LimitReached> {
        let windows = [
            (Window::Day, self.daily, self.spent_day),
            (Window::Month, self.monthly, self.spent_month),
        ];
        for (window, limit, spent) in windows {
            if let Some(limit) = limit.filter(|limit| spent.saturating_add(amount) > *limit) {
                return Err(LimitReached {
                    window,
                    limit,
                    resets_at: window.resets_at(self.at),
                });
            }
        }
        Ok(())
    }

    /// Gives back a refunded spend of `amount` made at `spent_at`, to the windows that still
    /// hold it (a refund after midnight leaves the new day's count alone).
    pub fn give_back(
        conn: &mut AnyConnection,
        key_id: i64,
        amount: i64,
        spent_at: NaiveDateTime,
    ) -> QueryResult<()> {
        let key = api_keys::table.find(key_id);
        diesel::update(
            key.filter(api_keys::spent_day_start.eq(Window::Day.start(spent_at)))
                .filter(api_keys::spent_day.ge(amount)),
        )
        .set(api_keys::spent_day.eq(api_keys::spent_day - amount))
        .execute(conn)?;
        diesel::update(
            key.filter(api_keys::spent_month_start.eq(Window::Month.start(spent_at)))
                .filter(api_keys::spent_month.ge(amount)),
        )
        .set(api_keys::spent_month.eq(api_keys::spent_month - amount))
        .execute(conn)
        .map(drop)
    }
}

/// `COUNT_SPEND` with its parameters, as a statement diesel prepares once per connection and
/// keeps (it prepares `sql_query` text again on every call: a tenth of SQLite's writer thread
/// on keyed paid calls). Each `$n` is bound where it appears.
#[derive(Debug, Clone, Copy)]
struct CountSpend {
    day: NaiveDateTime,
    amount: i64,
    month: NaiveDateTime,
    key_id: i64,
}

impl QueryId for CountSpend {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for CountSpend
where
    DB: Backend + HasSqlType<Timestamp> + HasSqlType<BigInt>,
    NaiveDateTime: ToSql<Timestamp, DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let mut parts = COUNT_SPEND.split('$');
        out.push_sql(parts.next().unwrap_or_default());
        for part in parts {
            let (number, sql) = part.split_at(1);
            match number {
                "1" => out.push_bind_param::<Timestamp, _>(&self.day)?,
                "2" => out.push_bind_param::<BigInt, _>(&self.amount)?,
                "3" => out.push_bind_param::<Timestamp, _>(&self.month)?,
                "4" => out.push_bind_param::<BigInt, _>(&self.key_id)?,
                _ => {
                    let unknown = format!("COUNT_SPEND has no parameter ${number}");
                    return Err(diesel::result::Error::QueryBuilderError(unknown.into()));
                }
            }
            out.push_sql(sql);
        }
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for CountSpend {}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn windows_are_utc_days_and_calendar_months() {
        let t = at("2026-12-31 23:59:59");
        assert_eq!(Window::Day.start(t), at("2026-12-31 00:00:00"));
        assert_eq!(Window::Day.resets_at(t), at("2027-01-01 00:00:00"));
        assert_eq!(Window::Month.start(t), at("2026-12-01 00:00:00"));
        assert_eq!(Window::Month.resets_at(t), at("2027-01-01 00:00:00"));
        let feb = at("2028-02-29 12:00:00");
        assert_eq!(Window::Month.resets_at(feb), at("2028-03-01 00:00:00"));
    }

    #[test]
    fn a_spend_is_admitted_up_to_each_limit_exactly() {
        let windows = KeyWindows {
            at: at("2026-11-30 10:00:00"),
            daily: Some(30),
            monthly: Some(100),
            spent_day: 29,
            spent_month: 99,
        };
        assert_eq!(windows.admits(1), Ok(()));
        let day = windows.admits(2).unwrap_err();
        assert_eq!((day.window, day.limit), (Window::Day, 30));
        let month = KeyWindows {
            daily: None,
            ..windows
        }
        .admits(2)
        .unwrap_err();
        assert_eq!(
            (month.window, month.resets_at),
            (Window::Month, at("2026-12-01 00:00:00"))
        );
    }
}
