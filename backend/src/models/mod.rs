//! Rows and their queries. Handlers call these and hold no SQL themselves.

pub mod api_key;
pub mod ledger;
pub mod session;
pub mod session_owner;
pub mod user;

pub use api_key::{ApiKeyRow, KeyOwner};
pub use ledger::LedgerRow;
pub use session::SessionRow;
pub use session_owner::SessionOwner;
pub use user::UserRow;

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// The current time as stored: naive UTC, which both backends share, at microsecond precision
/// (PostgreSQL's), so a value echoed from memory equals the same value read back.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
