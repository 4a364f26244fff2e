//! Rows and their queries. Handlers call these and hold no SQL themselves.

pub mod api_key;
pub mod ledger;
pub mod session;
pub mod user;

pub use api_key::{ApiKeyRow, KeyOwner};
pub use ledger::LedgerRow;
pub use session::SessionRow;
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

/// Hex SHA-256: the stored form of API keys and refresh tokens (high-entropy secrets, for which
/// a fast hash is right and bcrypt would cost ~100 ms a request).
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// `len` random letters and digits (~5.95 bits each) from the OS-seeded CSPRNG.
pub fn random_token(len: usize) -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
