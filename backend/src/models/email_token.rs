//! The single-use tokens behind email links (verify an address, reset a password, confirm an
//! email change). Only their SHA-256 is stored, with a purpose and an expiry; one `UPDATE ...
//! WHERE used_at IS NULL AND expires_at > now` consumes a token, so a token raced twice works once.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{after, before, now};
use crate::{
    auth::secret::{random_token, sha256_hex},
    db::{AnyConnection, schema::email_tokens},
};

/// 43 letters and digits carry 256 bits; a few more for good measure.
const TOKEN_LEN: usize = 48;

/// At most this many emails of one purpose per user in each window.
const SEND_LIMITS: [(Duration, usize); 2] = [
    (Duration::from_secs(60), 1),
    (Duration::from_secs(86_400), 5),
];

/// What a token may be used for: a token of one purpose is unknown to every other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
        }
    }

    /// How long a link stays good.
    pub fn lifetime(self) -> Duration {
        match self {
            Self::VerifyEmail => Duration::from_secs(24 * 3600),
            Self::ResetPassword => Duration::from_secs(30 * 60),
            Self::ChangeEmail => Duration::from_secs(3600),
        }
    }
}

/// The email-link tokens' queries.
pub struct EmailToken;

/// What a consumed token was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumed {
    pub user_id: i64,
    pub new_email: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = email_tokens)]
struct NewToken<'a> {
    user_id: i64,
    purpose: &'a str,
    token_hash: &'a str,
    new_email: Option<&'a str>,
    expires_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// The token `secret` of `purpose`, if neither used nor expired at `at`.
macro_rules! live {
    ($purpose:expr, $secret:expr, $at:expr) => {
        email_tokens::table
            .filter(email_tokens::token_hash.eq(sha256_hex($secret)))
            .filter(email_tokens::purpose.eq($purpose.as_str()))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt($at))
    };
}

impl EmailToken {
    /// A new token of `purpose` for the user, returned as the secret that goes into the email
    /// and nowhere else; the user's older unused ones of that purpose are superseded (marked
    /// used), so only the latest link works.
    pub fn issue(
        conn: &mut AnyConnection,
        user_id: i64,
        purpose: Purpose,
        new_email: Option<&str>,
    ) -> QueryResult<String> {
        let at = now();
        diesel::update(
            email_tokens::table
                .filter(email_tokens::user_id.eq(user_id))
                .filter(email_tokens::purpose.eq(purpose.as_str()))
                .filter(email_tokens::used_at.is_null()),
        )
        .set(email_tokens::used_at.eq(at))
        .execute(conn)?;
        let secret = random_token(TOKEN_LEN);
        let expires_at = after(at, purpose.lifetime());
        diesel::insert_into(email_tokens::table)
            .values(NewToken {
                user_id,
                purpose: purpose.as_str(),
                token_hash: &sha256_hex(&secret),
                new_email,
                expires_at,
                created_at: at,
            })
            .execute(conn)?;
        Ok(secret)
    }

    /// Uses the token `secret` of `purpose`, once: `None` when it is unknown, of another
    /// purpose, used, superseded or expired.
    pub fn consume(
        conn: &mut AnyConnection,
        purpose: Purpose,
        secret: &str,
    ) -> QueryResult<Option<Consumed>> {
        let at = now();
        diesel::update(live!(purpose, secret, at))
            .set(email_tokens::used_at.eq(at))
            .returning((email_tokens::user_id, email_tokens::new_email))
            .get_result(conn)
            .optional()
            .map(|row| row.map(|(user_id, new_email)| Consumed { user_id, new_email }))
    }

    /// The live token `secret` of `purpose`, without using it: to refuse a dead link before
    /// paying for a password hash, or to check an email change before making it.
    pub fn find_live(
        conn: &mut AnyConnection,
        purpose: Purpose,
        secret: &str,
    ) -> QueryResult<Option<Consumed>> {
        live!(purpose, secret, now())
            .select((email_tokens::user_id, email_tokens::new_email))
            .get_result(conn)
            .optional()
            .map(|row| row.map(|(user_id, new_email)| Consumed { user_id, new_email }))
    }

    /// How long the user must wait before another email of `purpose` may be sent: at most one
    /// a minute and five a day. Counted in the database, so every replica agrees; lock the
    /// user's row first (`UserRow::lock`) so two requests cannot both pass.
    pub fn wait_before_next(
        conn: &mut AnyConnection,
        user_id: i64,
        purpose: Purpose,
    ) -> QueryResult<Option<Duration>> {
        let at = now();
        let longest = SEND_LIMITS
            .iter()
            .map(|(window, _)| *window)
            .max()
            .unwrap_or_default();
        let sent: Vec<NaiveDateTime> = email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose.as_str()))
            .filter(email_tokens::created_at.gt(before(at, longest)))
            .select(email_tokens::created_at)
            .order(email_tokens::created_at.desc())
            .load(conn)?;
        for (window, most) in SEND_LIMITS {
            let start = before(at, window);
            // Newest first: the window frees up when the `most`th newest leaves it.
            if let Some(oldest_counted) = sent.iter().filter(|t| **t > start).nth(most - 1) {
                let free_at = after(*oldest_counted, window);
                return Ok(Some((free_at - at).to_std().unwrap_or_default()));
            }
        }
        Ok(None)
    }

    /// Every unused token of the user's (a password reset or an email change ends every other
    /// link in flight).
    pub fn revoke_all(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
        diesel::update(
            email_tokens::table
                .filter(email_tokens::user_id.eq(user_id))
                .filter(email_tokens::used_at.is_null()),
        )
        .set(email_tokens::used_at.eq(now()))
        .execute(conn)
    }

    /// Deletes tokens past their expiry by more than a day (housekeeping; the send limits look
    /// back a day at most).
    pub fn purge_expired(conn: &mut AnyConnection) -> QueryResult<usize> {
        let day_ago = now() - chrono::TimeDelta::days(1);
        diesel::delete(email_tokens::table.filter(email_tokens::expires_at.lt(day_ago)))
            .execute(conn)
    }
}
