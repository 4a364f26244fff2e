//! Work each replica does in the background, now and then. Each job is safe to run on several
//! replicas at once (idempotent), so none needs electing a leader.

use std::{sync::Arc, time::Duration};

use actix_web::rt::time::{Instant, interval_at};
use futures_util::TryStreamExt;

use crate::{
    db::Db,
    error::log_error_chain,
    http::rate_limit::RateLimits,
    models::{
        AttachmentRow, EmailToken, InvitationRow, OAuthFlow, OutboxRow, SessionRow,
        idempotency::IdempotencyKeys, now,
    },
    storage::Storage,
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

/// How often objects without a row are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// An object younger than this may be an upload whose row is being written: left alone.
pub const ORPHAN_AGE: Duration = Duration::from_secs(3600);

/// Deletes stored files no attachment row names, every `SWEEP_EVERY`: an upload cut off between
/// storing its bytes and writing its row, an object whose delete failed after its row went, the
/// files of a deleted organisation.
pub async fn sweep_orphan_files(db: Db, storage: Arc<Storage>) {
    let mut ticks = interval_at(Instant::now() + SWEEP_EVERY, SWEEP_EVERY);
    loop {
        ticks.tick().await;
        let cutoff = chrono::Utc::now() - ORPHAN_AGE;
        match sweep_orphans(&db, &storage, cutoff).await {
            Ok(deleted) => tracing::info!(deleted, "orphan files swept"),
            Err(e) => log_error_chain(e.as_ref(), "could not sweep orphan files"),
        }
    }
}

/// One sweep over the objects stored before `cutoff`; how many it deleted.
pub async fn sweep_orphans(
    db: &Db,
    storage: &Storage,
    cutoff: chrono::DateTime<chrono::Utc>,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    /// Keys checked against the table per query.
    const BATCH: usize = 500;
    let mut candidates = storage.stored_before(cutoff).try_chunks(BATCH);
    let mut deleted = 0;
    while let Some(keys) = candidates.try_next().await.map_err(|e| e.1)? {
        let known = {
            let keys = keys.clone();
            db.read(move |conn| AttachmentRow::known_keys(conn, &keys))
                .await?
        };
        for key in keys.iter().filter(|key| !known.contains(*key)) {
            storage.delete(key).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}
