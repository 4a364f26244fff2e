//! The time the server judges deadlines by that a test must be able to cross without waiting:
//! key expiry and rotation grace periods. It is the system clock; only code that builds the
//! `Application` itself (the tests, through `Application::build_with_clock`) can move it
//! forward. No setting or route reaches it.

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use chrono::{NaiveDateTime, TimeDelta};

use crate::models;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds ahead of the system clock.
    ahead: Arc<AtomicI64>,
}

impl Clock {
    /// As stored: naive UTC, microsecond precision (`models::now`).
    pub fn now(&self) -> NaiveDateTime {
        let ahead = TimeDelta::microseconds(self.ahead.load(Ordering::Relaxed));
        models::now() + ahead
    }

    /// Moves this clock, and every server built with it, `by` forward.
    pub fn advance(&self, by: Duration) {
        let micros = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        self.ahead.fetch_add(micros, Ordering::Relaxed);
    }
}
