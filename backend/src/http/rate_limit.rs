//! Rate limits with `governor` (GCRA, in memory, per replica). Over a limit: 429 `rate_limited`
//! with `Retry-After`.
//! - `RATE_LIMIT_AUTH_PER_MINUTE`: per client on `/api/auth/*`; and every password check
//!   (`auth::check_password`, wherever its route) counts per client and per account, at twice
//!   the quota per account, so that one client's guesses leave its owner room to sign in.
//! - `RATE_LIMIT_API_PER_MINUTE`: the rest of `/api`, per user once their token or key is
//!   verified, else per client. A made-up key or token never gets a bucket of its own.
//! - A key created with `rate_limit_per_minute` also counts in a bucket of its own, on top of
//!   its creator's.
//!
//! Every `/api` answer, a 429 included, carries `RateLimit-Limit`, `RateLimit-Remaining` and
//! `RateLimit-Reset` (seconds until the bucket is full again; IETF draft names) for the bucket
//! the request was counted in, the tighter one when a key has its own.
//!
//! A client is an IPv4 address or an IPv6 /64 (`ClientNet`). The buckets that are full again are
//! dropped every minute (`housekeeping`), so memory follows the clients of the last minutes.
//!
//! In memory means each replica counts on its own: N replicas allow up to N times the limit.
//! `RATE_LIMIT_ENABLED=false` turns every limit off, the keys' own included.
//! (actix-governor would do the same job but is GPL-licensed, a poor fit for a template.)

use std::{
    collections::HashMap,
    hash::Hash,
    num::NonZeroU32,
    sync::{Arc, PoisonError, RwLock},
    time::Duration,
};

use actix_web::{
    Error, HttpMessage, HttpRequest, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderMap, HeaderName, HeaderValue},
    middleware::Next,
    web,
};
use governor::{
    NotUntil, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::{StateInformationMiddleware, StateSnapshot},
    state::keyed::DefaultKeyedStateStore,
};

use super::client_ip::ClientNet;
use crate::{
    auth::presented::{KeyHolder, Presented, read_key_ahead},
    error::ApiError,
    state::AppState,
};

/// A keyed limiter whose answers tell how much of the bucket is left.
type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// The limiters' time: `std::time::Instant` (governor's `quanta` clock is off: calibrating it
/// spun the main thread for up to 200 ms at every start).
type Instant = <DefaultClock as Clock>::Instant;

/// Who spends the API quota.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Spender {
    User(i64),
    Client(ClientNet),
}

/// Where a request left the bucket it was counted in: the `RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    limit: u32,
    remaining: u32,
    /// Seconds until the bucket is full again.
    reset: u64,
}

impl Standing {
    fn admitted(snapshot: &StateSnapshot) -> Self {
        let quota = snapshot.quota();
        let limit = quota.burst_size().get();
        let remaining = snapshot.remaining_burst_capacity();
        let refill = quota.replenish_interval() * limit.saturating_sub(remaining);
        Self {
            limit,
            remaining,
            reset: whole_seconds(refill),
        }
    }

    fn refused(not_until: &NotUntil<Instant>) -> Self {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        Self {
            limit: not_until.quota().burst_size().get(),
            remaining: 0,
            reset: whole_seconds(wait).max(1),
        }
    }

    /// The one of two buckets with less left.
    fn tighter(self, other: Option<Self>) -> Self {
        match other {
            Some(other) if other.remaining < self.remaining => other,
            _ => self,
        }
    }

    fn write_to(self, headers: &mut HeaderMap) {
        for (name, value) in [
            ("ratelimit-limit", u64::from(self.limit)),
            ("ratelimit-remaining", u64::from(self.remaining)),
            ("ratelimit-reset", self.reset),
        ] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
    }
}

/// `duration` in seconds, rounded up.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// A request over a limit: the bucket's standing, for the headers of the 429.
#[derive(Debug)]
struct Refused(Standing);

impl From<Refused> for ApiError {
    fn from(Refused(standing): Refused) -> Self {
        Self::RateLimited {
            retry_after: standing.reset,
        }
    }
}

/// The buckets of keys with a rate limit of their own: one keyed limiter per quota given.
#[derive(Default)]
struct KeyLimiters(RwLock<HashMap<NonZeroU32, Arc<Limiter<i64>>>>);

impl KeyLimiters {
    fn check(&self, key_id: i64, per_minute: NonZeroU32) -> Result<Standing, Refused> {
        let limiter = self.limiter(per_minute);
        outcome(limiter.check_key(&key_id))
    }

    fn limiter(&self, per_minute: NonZeroU32) -> Arc<Limiter<i64>> {
        let known = self.0.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(limiter) = known.get(&per_minute) {
            return Arc::clone(limiter);
        }
        drop(known);
        let mut all = self.0.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            all.entry(per_minute)
                .or_insert_with(|| Arc::new(new_limiter(per_minute))),
        )
    }

    fn evict_idle(&self) {
        let mut all = self.0.write().unwrap_or_else(PoisonError::into_inner);
        all.retain(|_, limiter| {
            evict_idle(limiter);
            !limiter.is_empty()
        });
    }
}

/// The limiters of one server (shared by its workers).
pub struct RateLimits {
    trust_proxy: bool,
    /// The auth quota per client.
    clients: Option<Limiter<ClientNet>>,
    /// The auth quota per account (normalised email), doubled.
    accounts: Option<Limiter<String>>,
    api: Option<Limiter<Spender>>,
    /// The keys' own quotas; `None` when limits are off.
    keys: Option<KeyLimiters>,
}

/// Marks a request the middleware counted under the auth quota per client already.
struct CountedPerClient;

impl RateLimits {
    pub fn new(config: &crate::Config) -> Self {
        let on = config.rate_limit_enabled;
        let auth = config.rate_limit_auth_per_minute;
        Self {
            trust_proxy: config.trust_proxy,
            clients: limiter(on, auth),
            accounts: limiter(on, auth.saturating_mul(2)),
            api: limiter(on, config.rate_limit_api_per_minute),
            keys: on.then(KeyLimiters::default),
        }
    }

    /// Counts a password check on the account `email`: per client, unless the request was
    /// counted so already (a sign-in), and per account.
    pub fn count_password_check(&self, req: &HttpRequest, email: &str) -> Result<(), ApiError> {
        if !req.extensions().contains::<CountedPerClient>() {
            check(&self.clients, || ClientNet::of(req, self.trust_proxy))?;
        }
        check(&self.accounts, || email.to_owned())?;
        Ok(())
    }

    /// Drops the buckets that are full again: a fresh bucket would answer the same.
    pub fn evict_idle(&self) {
        self.clients.as_ref().map(evict_idle);
        self.accounts.as_ref().map(evict_idle);
        self.api.as_ref().map(evict_idle);
        self.keys.as_ref().map(KeyLimiters::evict_idle);
    }

    /// Counts the request in its buckets; where it left the tightest, if limits are on.
    async fn admit(
        &self,
        req: &HttpRequest,
        state: &AppState,
    ) -> Result<Option<Standing>, Refused> {
        if req.path().starts_with("/api/auth/") {
            req.extensions_mut().insert(CountedPerClient);
            return check(&self.clients, || ClientNet::of(req, self.trust_proxy));
        }
        if self.api.is_none() && self.keys.is_none() {
            return Ok(None);
        }
        let (spender, key) = self.spender(req, state).await;
        let standing = check(&self.api, || spender)?;
        let own = match (&self.keys, key.and_then(own_quota)) {
            (Some(keys), Some((key_id, per_minute))) => Some(keys.check(key_id, per_minute)?),
            _ => None,
        };
        // A key's own limit holds even when the API's per-user quota is off (0).
        Ok(match standing {
            Some(standing) => Some(standing.tighter(own)),
            None => own,
        })
    }

    /// The user of a verified token or key, else the client; and the key, if one was verified.
    /// The claims and the key's row stay in the request for the auth extractor, which neither
    /// verifies nor reads them again.
    async fn spender(&self, req: &HttpRequest, state: &AppState) -> (Spender, Option<KeyHolder>) {
        let (user, key) = match Presented::from_request(req) {
            Ok(Presented {
                bearer: Some(token),
                ..
            }) => {
                let claims = state.jwt.verify_once(req, token);
                (claims.and_then(|claims| claims.user_id()).ok(), None)
            }
            Ok(Presented {
                bearer: None,
                api_key: Some(key),
            }) => {
                let holder = read_key_ahead(state, req, key).await.ok().flatten();
                (holder.map(|h| h.user_id), holder)
            }
            _ => (None, None),
        };
        let spender = user.map_or_else(
            || Spender::Client(ClientNet::of(req, self.trust_proxy)),
            Spender::User,
        );
        (spender, key)
    }
}

/// The key's own quota, if it has one.
fn own_quota(key: KeyHolder) -> Option<(i64, NonZeroU32)> {
    let per_minute = u32::try_from(key.rate_limit_per_minute?).ok()?;
    Some((key.key_id, NonZeroU32::new(per_minute)?))
}

fn new_limiter<K: Hash + Eq + Clone>(per_minute: NonZeroU32) -> Limiter<K> {
    RateLimiter::keyed(Quota::per_minute(per_minute)).with_middleware()
}

/// A limiter of `per_minute` per key, if limits are `on` (a quota of 0 means none).
fn limiter<K: Hash + Eq + Clone>(on: bool, per_minute: u32) -> Option<Limiter<K>> {
    let per_minute = NonZeroU32::new(per_minute)?;
    on.then(|| new_limiter(per_minute))
}

/// Counts a request in the bucket `key()` of `limiter`: where it left it, or `Refused` when
/// the bucket is over its quota; no limiter, no limit.
fn check<K: Hash + Eq + Clone>(
    limiter: &Option<Limiter<K>>,
    key: impl FnOnce() -> K,
) -> Result<Option<Standing>, Refused> {
    let Some(limiter) = limiter else {
        return Ok(None);
    };
    outcome(limiter.check_key(&key())).map(Some)
}

fn outcome(answer: Result<StateSnapshot, NotUntil<Instant>>) -> Result<Standing, Refused> {
    answer
        .map(|snapshot| Standing::admitted(&snapshot))
        .map_err(|not_until| Refused(Standing::refused(&not_until)))
}

fn evict_idle<K: Hash + Eq + Clone>(limiter: &Limiter<K>) {
    limiter.retain_recent();
    limiter.shrink_to_fit();
}

/// Middleware for the `/api` scope.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let verdict = match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.rate_limits.admit(req.request(), state).await,
        None => Ok(None),
    };
    match verdict {
        Ok(standing) => {
            let mut res = next.call(req).await?.map_into_left_body();
            if let Some(standing) = standing {
                standing.write_to(res.headers_mut());
            }
            Ok(res)
        }
        Err(Refused(standing)) => {
            let mut res = req
                .into_response(ApiError::from(Refused(standing)).error_response())
                .map_into_right_body();
            standing.write_to(res.headers_mut());
            Ok(res)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_minute(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).expect("not zero")
    }

    /// Buckets left alone until they are full again go, and a key quota with no bucket left;
    /// a bucket still paying back stays.
    #[test]
    fn idle_buckets_are_evicted() {
        // A cell a millisecond: a bucket used once is full again 1 ms later.
        let config = crate::Config::from_lookup(|name| {
            (name == "RATE_LIMIT_API_PER_MINUTE").then(|| "60000".to_owned())
        })
        .expect("a dev configuration");
        let limits = RateLimits::new(&config);
        let api = limits.api.as_ref().expect("limits are on by default");
        let keys = limits.keys.as_ref().expect("limits are on by default");
        for user in 0..1000 {
            check(&limits.api, || Spender::User(user)).expect("under the quota");
            keys.check(user, per_minute(60_000))
                .expect("under the quota");
        }
        let busy = Spender::User(-1);
        assert!(matches!(
            api.check_key_n(&busy, per_minute(30_000)),
            Ok(Ok(_))
        ));
        assert_eq!(api.len(), 1001);
        keys.check(-1, per_minute(2)).expect("under the quota");

        std::thread::sleep(Duration::from_millis(20));
        limits.evict_idle();
        assert_eq!(
            api.len(),
            1,
            "only the bucket with 30 s to pay back is left"
        );
        let quotas = keys.0.read().expect("not poisoned");
        assert_eq!(
            quotas.keys().copied().collect::<Vec<_>>(),
            [per_minute(2)],
            "only the quota whose key has 30 s to pay back is left"
        );
    }

    /// The headers' figures: a cell every 20 s at 3 a minute; the 429 waits for the next cell.
    #[test]
    fn standing_counts_down_and_tells_when_the_bucket_is_full() {
        let keys = KeyLimiters::default();
        let three = per_minute(3);
        let first = keys.check(7, three).expect("under the quota");
        assert_eq!(
            first,
            Standing {
                limit: 3,
                remaining: 2,
                reset: 20
            }
        );
        keys.check(7, three).expect("under the quota");
        let last = keys.check(7, three).expect("under the quota");
        assert_eq!((last.remaining, last.reset), (0, 60));
        let Err(Refused(refused)) = keys.check(7, three) else {
            panic!("a fourth call in a minute passed");
        };
        assert_eq!((refused.limit, refused.remaining), (3, 0));
        assert!((1..=20).contains(&refused.reset), "{refused:?}");
        // Another key with the same quota has a bucket of its own.
        assert_eq!(keys.check(8, three).expect("a fresh bucket"), first);
        // The tighter of two buckets is the one with less left.
        assert_eq!(first.tighter(Some(last)), last);
        assert_eq!(last.tighter(Some(first)), last);
        assert_eq!(first.tighter(None), first);
    }
}
