//! Rate limits with `governor` (GCRA, in memory, per replica). Over a limit: 429 `rate_limited`
//! with `Retry-After`.
//! - `RATE_LIMIT_AUTH_PER_MINUTE`: per client on `/api/auth/*`; and every password check
//!   (`auth::check_password`, wherever its route) counts per client and per account, at twice
//!   the quota per account, so that one client's guesses leave its owner room to sign in.
//! - `RATE_LIMIT_API_PER_MINUTE`: the rest of `/api`, per user once their token or key is
//!   verified, else per client. A made-up key or token never gets a bucket of its own.
//!
//! A client is an IPv4 address or an IPv6 /64 (`ClientNet`). The buckets that are full again are
//! dropped every minute (`housekeeping`), so memory follows the clients of the last minutes.
//!
//! In memory means each replica counts on its own: N replicas allow up to N times the limit.
//! (actix-governor would do the same job but is GPL-licensed, a poor fit for a template.)

use std::{hash::Hash, num::NonZeroU32};

use actix_web::{
    Error, HttpMessage, HttpRequest, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
    web,
};
use governor::{
    DefaultKeyedRateLimiter, Quota,
    clock::{Clock, DefaultClock},
};

use super::client_ip::ClientNet;
use crate::{
    auth::presented::{Presented, read_key_ahead},
    error::ApiError,
    state::AppState,
};

type Limiter<K> = DefaultKeyedRateLimiter<K>;

/// Who spends the API quota.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Spender {
    User(i64),
    Client(ClientNet),
}

/// The limiters of one server (shared by its workers).
pub struct RateLimits {
    trust_proxy: bool,
    /// The auth quota per client.
    clients: Option<Limiter<ClientNet>>,
    /// The auth quota per account (normalised email), doubled.
    accounts: Option<Limiter<String>>,
    api: Option<Limiter<Spender>>,
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
        }
    }

    /// Counts a password check on the account `email`: per client, unless the request was
    /// counted so already (a sign-in), and per account.
    pub fn count_password_check(&self, req: &HttpRequest, email: &str) -> Result<(), ApiError> {
        if !req.extensions().contains::<CountedPerClient>() {
            check(&self.clients, || ClientNet::of(req, self.trust_proxy))?;
        }
        check(&self.accounts, || email.to_owned())
    }

    /// Drops the buckets that are full again: a fresh bucket would answer the same.
    pub fn evict_idle(&self) {
        evict_idle(&self.clients);
        evict_idle(&self.accounts);
        evict_idle(&self.api);
    }

    async fn admit(&self, req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
        if req.path().starts_with("/api/auth/") {
            req.extensions_mut().insert(CountedPerClient);
            return check(&self.clients, || ClientNet::of(req, self.trust_proxy));
        }
        if self.api.is_none() {
            return Ok(());
        }
        let spender = self.spender(req, state).await;
        check(&self.api, || spender)
    }

    /// The user of a verified token or key, else the client. The claims and the key's row stay
    /// in the request for the auth extractor, which neither verifies nor reads them again.
    async fn spender(&self, req: &HttpRequest, state: &AppState) -> Spender {
        let user = match Presented::from_request(req) {
            Ok(Presented {
                bearer: Some(token),
                ..
            }) => state
                .jwt
                .verify_once(req, token)
                .and_then(|claims| claims.user_id())
                .ok(),
            Ok(Presented {
                bearer: None,
                api_key: Some(key),
            }) => read_key_ahead(state, req, key).await.ok().flatten(),
            _ => None,
        };
        user.map_or_else(
            || Spender::Client(ClientNet::of(req, self.trust_proxy)),
            Spender::User,
        )
    }
}

/// A limiter of `per_minute` per key, if limits are `on` (a quota of 0 means none).
fn limiter<K: Hash + Eq + Clone>(on: bool, per_minute: u32) -> Option<Limiter<K>> {
    let per_minute = NonZeroU32::new(per_minute)?;
    on.then(|| Limiter::keyed(Quota::per_minute(per_minute)))
}

/// `RateLimited` when the bucket `key()` of `limiter` is over its quota; no limiter, no limit.
fn check<K: Hash + Eq + Clone>(
    limiter: &Option<Limiter<K>>,
    key: impl FnOnce() -> K,
) -> Result<(), ApiError> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    limiter.check_key(&key()).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::RateLimited {
            retry_after: wait.as_secs().max(1),
        }
    })
}

fn evict_idle<K: Hash + Eq + Clone>(limiter: &Option<Limiter<K>>) {
    if let Some(limiter) = limiter {
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }
}

/// Middleware for the `/api` scope.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let verdict = match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.rate_limits.admit(req.request(), state).await,
        None => Ok(()),
    };
    match verdict {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(refused) => Ok(req
            .into_response(refused.error_response())
            .map_into_right_body()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// Buckets left alone until they are full again go; a bucket still paying back stays.
    #[test]
    fn idle_buckets_are_evicted() {
        // A cell a millisecond: a bucket used once is full again 1 ms later.
        let config = crate::Config::from_lookup(|name| {
            (name == "RATE_LIMIT_API_PER_MINUTE").then(|| "60000".to_owned())
        })
        .expect("a dev configuration");
        let limits = RateLimits::new(&config);
        let api = limits.api.as_ref().expect("limits are on by default");
        for user in 0..1000 {
            check(&limits.api, || Spender::User(user)).expect("under the quota");
        }
        let half = NonZeroU32::new(30_000).expect("not zero");
        let busy = Spender::User(-1);
        assert!(matches!(api.check_key_n(&busy, half), Ok(Ok(()))));
        assert_eq!(api.len(), 1001);

        std::thread::sleep(Duration::from_millis(20));
        limits.evict_idle();
        assert_eq!(
            api.len(),
            1,
            "only the bucket with 30 s to pay back is left"
        );
    }
}
