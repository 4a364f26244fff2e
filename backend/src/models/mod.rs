//! Rows and their queries. Handlers call these and hold no SQL themselves.

pub mod api_key;
pub mod attachment;
pub mod email_token;
pub mod idempotency;
pub mod identity;
pub mod invitation;
pub mod key_spend;
pub mod ledger;
pub mod member;
pub mod oauth_flow;
pub mod organization;
pub mod outbox;
pub mod session;
pub mod session_owner;
pub mod task;
pub mod user;

pub use api_key::{ApiKeyRow, KeyOwner, KeySpec, ScopeSet};
pub use attachment::AttachmentRow;
pub use email_token::{EmailToken, Purpose};
pub use identity::IdentityRow;
pub use invitation::InvitationRow;
pub use ledger::LedgerRow;
pub use member::Members;
pub use oauth_flow::OAuthFlow;
pub use organization::OrganizationRow;
pub use outbox::OutboxRow;
pub use session::SessionRow;
pub use session_owner::SessionOwner;
pub use task::TaskRow;
pub use user::UserRow;

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// The current time as stored: naive UTC, which both backends share, at microsecond precision
/// (PostgreSQL's), so a value echoed from memory equals the same value read back.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// `at + d`, saturating.
pub fn after(at: NaiveDateTime, d: std::time::Duration) -> NaiveDateTime {
    chrono::TimeDelta::from_std(d)
        .ok()
        .and_then(|d| at.checked_add_signed(d))
        .unwrap_or(NaiveDateTime::MAX)
}

/// `at - d`, saturating.
pub fn before(at: NaiveDateTime, d: std::time::Duration) -> NaiveDateTime {
    chrono::TimeDelta::from_std(d)
        .ok()
        .and_then(|d| at.checked_sub_signed(d))
        .unwrap_or(NaiveDateTime::MIN)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
