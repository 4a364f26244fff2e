//! Per-key spend limits: what a key with a limit spent in its current UTC day and calendar
//! month, counted in the paid call's own transaction. The key's row is locked first (PostgreSQL;
//! SQLite's writers already run one at a time), so concurrent calls on one key are admitted one
//! after another and never pass the limit together. Keys without a limit skip all of this.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use crate::db::{AnyConnection, schema::api_keys};

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

/// A limited key's windows as read (and locked) in a paid call's transaction.
#[derive(Debug, Clone, Copy)]
pub struct KeyWindows {
    key_id: i64,
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
    /// Locks key `key_id` until the transaction ends and reads its windows at `at`.
    pub fn lock(conn: &mut AnyConnection, key_id: i64, at: NaiveDateTime) -> QueryResult<Self> {
        let query = api_keys::table.find(key_id).select((
            api_keys::spend_limit_daily,
            api_keys::spend_limit_monthly,
            api_keys::spent_day,
            api_keys::spent_day_start,
            api_keys::spent_month,
            api_keys::spent_month_start,
        ));
        let (daily, monthly, day, day_start, month, month_start): Counters =
            if let AnyConnection::Postgresql(pg) = conn {
                query.for_update().first(pg)?
            } else {
                query.first(conn)?
            };
        Ok(Self {
            key_id,
            at,
            daily,
            monthly,
            spent_day: Window::Day.current(day, day_start, at),
            spent_month: Window::Month.current(month, month_start, at),
        })
    }

    /// Whether spending `amount` more stays within both limits.
    pub fn admits(&self, amount: i64) -> Result<(), LimitReached> {
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

    /// Counts a spend of `amount` that `admits` allowed.
    pub fn count(&self, conn: &mut AnyConnection, amount: i64) -> QueryResult<()> {
        diesel::update(api_keys::table.find(self.key_id))
            .set((
                api_keys::spent_day.eq(self.spent_day + amount),
                api_keys::spent_day_start.eq(Window::Day.start(self.at)),
                api_keys::spent_month.eq(self.spent_month + amount),
                api_keys::spent_month_start.eq(Window::Month.start(self.at)),
            ))
            .execute(conn)
            .map(drop)
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
            key_id: 1,
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
