//! Work each replica does in the background, now and then. Each job is safe to run on several
//! replicas at once (idempotent), so none needs electing a leader.

use std::{sync::Arc, time::Duration};

use actix_web::rt::time::{Instant, interval_at};

use crate::{
    db::Db,
    error::log_error_chain,
    http::rate_limit::RateLimits,
    models::{
        EmailToken, InvitationRow, OAuthFlow, OutboxRow, SessionRow, idempotency::IdempotencyKeys,
        now,
    },
};

/// How often expired sessions, email tokens, invitations and idempotency keys, and old outbox
/// rows are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
/// How often rate-limit buckets that are full again are dropped: every quota is per minute, so
/// a bucket left alone for a minute is.
const EVICT_EVERY: Duration = Duration::from_secs(60);

/// Deletes what has expired every `PURGE_EVERY`, the first time one period after start-up:
/// sessions, email-link tokens, invitations, idempotency keys past their 24 hours, sign-ins left
/// unfinished at an identity provider, and outbox rows long sent or given up.
pub async fn purge_expired(db: Db) {
    let mut ticks = interval_at(Instant::now() + PURGE_EVERY, PURGE_EVERY);
    loop {
        ticks.tick().await;
        let purged = db
            .write(|conn| {
                Ok::<_, diesel::result::Error>((
                    SessionRow::purge_expired(conn)?,
                    EmailToken::purge_expired(conn)?,
                    OutboxRow::purge_done(conn)?,
                    InvitationRow::purge_expired(conn)?,
                    IdempotencyKeys::purge_expired(conn, now())?,
                    OAuthFlow::purge_expired(conn)?,
                ))
            })
            .await;
        match purged {
            Ok((sessions, tokens, emails, invitations, idempotency_keys, oauth_flows)) => {
                tracing::info!(
                    sessions,
                    tokens,
                    emails,
                    invitations,
                    idempotency_keys,
                    oauth_flows,
                    "expired rows purged"
                );
            }
            Err(e) => log_error_chain(&e, "could not purge expired rows"),
        }
    }
}

/// Drops idle rate-limit buckets every `EVICT_EVERY`: without it, every client ever seen would
/// keep one.
pub async fn evict_idle_buckets(limits: Arc<RateLimits>) {
    let mut ticks = interval_at(Instant::now() + EVICT_EVERY, EVICT_EVERY);
    loop {
        ticks.tick().await;
        limits.evict_idle();
    }
}
