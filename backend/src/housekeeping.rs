//! Work each replica does in the background, now and then. Each job is safe to run on several
//! replicas at once (idempotent), so none needs electing a leader.

use std::{sync::Arc, time::Duration};

use actix_web::rt::time::{Instant, interval_at};

use crate::{db::Db, error::log_error_chain, http::rate_limit::RateLimits, models::SessionRow};

/// How often expired sessions are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(3600);
/// How often rate-limit buckets that are full again are dropped: every quota is per minute, so
/// a bucket left alone for a minute is.
const EVICT_EVERY: Duration = Duration::from_secs(60);

/// Deletes expired sessions every `PURGE_EVERY`, the first time one period after start-up.
pub async fn purge_sessions(db: Db) {
    let mut ticks = interval_at(Instant::now() + PURGE_EVERY, PURGE_EVERY);
    loop {
        ticks.tick().await;
        match db.write(SessionRow::purge_expired).await {
            Ok(purged) => tracing::info!(purged, "expired sessions purged"),
            Err(e) => log_error_chain(&e, "could not purge expired sessions"),
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
