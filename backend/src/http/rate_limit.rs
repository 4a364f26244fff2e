//! Rate limits with `governor` (GCRA, in memory, per replica): per client IP on `/api/auth/*`
//! (brute force on logins), per user or key on the rest of the API. Over the limit: 429
//! `rate_limited` with `Retry-After`.
//!
//! In memory means each replica counts on its own: N replicas allow up to N times the limit.
//! (actix-governor would do the same job but is GPL-licensed, a poor fit for a template.)

use std::{hash::Hash, num::NonZeroU32, time::Duration};

use actix_web::{
    Error, HttpResponse, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web,
};
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};

use super::client_ip::client_ip;
use crate::{auth::API_KEY_HEADER, error::ApiError, state::AppState};

/// The limiters of one server (shared by its workers).
pub struct RateLimits {
    auth: Option<DefaultKeyedRateLimiter<String>>,
    api: Option<DefaultKeyedRateLimiter<String>>,
}

impl RateLimits {
    pub fn new(config: &crate::Config) -> Self {
        let limiter = |per_minute: u32| {
            let per_minute = NonZeroU32::new(per_minute)?;
            config
                .rate_limit_enabled
                .then(|| DefaultKeyedRateLimiter::keyed(Quota::per_minute(per_minute)))
        };
        Self {
            auth: limiter(config.rate_limit_auth_per_minute),
            api: limiter(config.rate_limit_api_per_minute),
        }
    }

    /// `Err(wait)` when `key` is over `limiter`'s quota.
    fn check<K: Hash + Eq + Clone>(
        limiter: &governor::DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), Duration> {
        limiter.check_key(key).map_err(|not_until| {
            not_until.wait_time_from(governor::clock::DefaultClock::default().now())
        })
    }
}

/// Middleware for the `/api` scope.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let verdict = match req.app_data::<web::Data<AppState>>() {
        Some(state) if req.path().starts_with("/api/auth/") => {
            state.rate_limits.auth.as_ref().map_or(Ok(()), |l| {
                let ip = client_ip(req.request(), state.config.trust_proxy)
                    .map(|ip| ip.to_string())
                    .unwrap_or_default();
                RateLimits::check(l, &ip)
            })
        }
        Some(state) => state.rate_limits.api.as_ref().map_or(Ok(()), |l| {
            RateLimits::check(l, &api_caller_key(&req, state))
        }),
        None => Ok(()),
    };
    match verdict {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(wait) => {
            let retry_after = wait.as_secs().max(1);
            let mut res: HttpResponse = ApiError::RateLimited { retry_after }.error_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
            Ok(req.into_response(res).map_into_right_body())
        }
    }
}

/// Who spends the API quota: the user of a valid Bearer token, else the API key (hashed: the
/// map never holds a usable key), else the client IP. A forged token counts against its sender's
/// IP, never against the user it names.
fn api_caller_key(req: &ServiceRequest, state: &AppState) -> String {
    let bearer_user = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.jwt.verify_once(req.request(), token.trim()).ok());
    if let Some(claims) = bearer_user {
        return format!("user:{}", claims.sub);
    }
    if let Some(key) = req
        .headers()
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return format!("key:{}", crate::auth::secret::sha256_hex(key));
    }
    format!(
        "ip:{}",
        client_ip(req.request(), state.config.trust_proxy)
            .map(|ip| ip.to_string())
            .unwrap_or_default()
    )
}
