//! Verifying the starter's access tokens from another service, without calling it: the public
//! keys come from its `/.well-known/jwks.json`, cached for `JWKS_CACHE_TTL_SECONDS` and fetched
//! again at once (at most every `MIN_REFETCH_INTERVAL`) when a token names a key the cache does
//! not hold, which is how a rotation reaches a running verifier. A token passes when its header
//! says EdDSA and names a published key, its signature verifies, and `exp`, `nbf`, `iss` and `aud`
//! hold. Copy this file: it needs `jsonwebtoken`, `reqwest`, `serde` and `tokio`.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

/// How often a token naming an unknown key may make the verifier fetch the key set: a flood of
/// forged `kid`s costs the issuer one request per interval, not one per token.
pub const MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// Where the keys are and what a token must say.
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// `{issuer}/.well-known/jwks.json` unless set otherwise.
    pub jwks_url: String,
    /// The starter's `PUBLIC_URL`.
    pub issuer: String,
    /// The starter's `JWT_AUDIENCE` (its `APP_NAME` by default).
    pub audience: String,
    pub cache_ttl: Duration,
}

impl VerifierConfig {
    /// The JWKS of the starter at `issuer`, cached for five minutes, as its `Cache-Control` says.
    pub fn new(issuer: &str, audience: &str) -> Self {
        let issuer = issuer.trim_end_matches('/');
        Self {
            jwks_url: format!("{issuer}/.well-known/jwks.json"),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            cache_ttl: Duration::from_secs(300),
        }
    }

    /// `JWT_ISSUER` (required), `JWT_AUDIENCE` (default `SaaS Starter`), `JWKS_URL` (default
    /// under the issuer) and `JWKS_CACHE_TTL_SECONDS` (default 300).
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let issuer = var("JWT_ISSUER").ok_or("JWT_ISSUER: required (the starter's PUBLIC_URL)")?;
        let audience = var("JWT_AUDIENCE").unwrap_or_else(|| "SaaS Starter".to_owned());
        let mut config = Self::new(&issuer, &audience);
        if let Some(url) = var("JWKS_URL") {
            config.jwks_url = url;
        }
        if let Some(ttl) = var("JWKS_CACHE_TTL_SECONDS") {
            let seconds = ttl
                .trim()
                .parse()
                .map_err(|_| "JWKS_CACHE_TTL_SECONDS: a number of seconds")?;
            config.cache_ttl = Duration::from_secs(seconds);
        }
        Ok(config)
    }
}

/// Who a verified token speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user_id: i64,
    /// The organisation the token acts in.
    pub organization_id: i64,
    /// Seconds since the epoch.
    pub expires_at: i64,
}

/// The claims a caller is read from (the starter's tokens carry more).
#[derive(Deserialize)]
struct Claims {
    sub: String,
    org: i64,
    exp: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("not a JWT signed with EdDSA under a key id")]
    Malformed,
    #[error("no published key has this token's key id")]
    UnknownKey,
    #[error("the token does not verify: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("the key set cannot be fetched: {0}")]
    KeySet(String),
}

/// The keys of the last fetch, by `kid`.
#[derive(Default)]
struct Keys {
    by_kid: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

pub struct Verifier {
    config: VerifierConfig,
    http: reqwest::Client,
    validation: Validation,
    keys: RwLock<Keys>,
    /// When a token with an unknown `kid` last made us fetch.
    last_unknown_kid_fetch: Mutex<Option<Instant>>,
    fetches: AtomicU64,
}

impl Verifier {
    pub fn new(config: VerifierConfig) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        Self {
            config,
            http: reqwest::Client::new(),
            validation,
            keys: RwLock::default(),
            last_unknown_kid_fetch: Mutex::default(),
            fetches: AtomicU64::new(0),
        }
    }

    /// Who `token` speaks for, or why it is refused.
    pub async fn verify(&self, token: &str) -> Result<Caller, VerifyError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| VerifyError::Malformed)?;
        let kid = match header {
            header if header.alg == Algorithm::EdDSA => header.kid.ok_or(VerifyError::Malformed)?,
            _ => return Err(VerifyError::Malformed),
        };
        let key = self.key(&kid).await?;
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &self.validation)?.claims;
        Ok(Caller {
            user_id: claims.sub.parse().map_err(|_| VerifyError::Malformed)?,
            organization_id: claims.org,
            expires_at: claims.exp,
        })
    }

    /// How many times the key set was fetched (it shows the cache at work).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, VerifyError> {
        {
            let keys = self.keys.read().await;
            if self.is_fresh(&keys) {
                if let Some(key) = keys.by_kid.get(kid) {
                    return Ok(key.clone());
                }
                if !self.may_fetch_for_unknown_kid() {
                    return Err(VerifyError::UnknownKey);
                }
            }
        }
        let mut keys = self.keys.write().await;
        // Another request may have fetched while this one waited for the lock.
        if !self.is_fresh(&keys) || !keys.by_kid.contains_key(kid) {
            match self.fetch().await {
                Ok(fetched) => *keys = fetched,
                Err(error) if keys.by_kid.is_empty() => return Err(error),
                // Keys we already hold stay usable while the issuer is unreachable; the next
                // try is a cache lifetime away, so requests do not queue behind failing fetches.
                Err(_) => keys.fetched_at = Some(Instant::now()),
            }
        }
        keys.by_kid.get(kid).cloned().ok_or(VerifyError::UnknownKey)
    }

    fn is_fresh(&self, keys: &Keys) -> bool {
        keys.fetched_at
            .is_some_and(|at| at.elapsed() < self.config.cache_ttl)
    }

    fn may_fetch_for_unknown_kid(&self) -> bool {
        let mut last = self
            .last_unknown_kid_fetch
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|at| at.elapsed() < MIN_REFETCH_INTERVAL) {
            return false;
        }
        *last = Some(Instant::now());
        true
    }

    async fn fetch(&self) -> Result<Keys, VerifyError> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let failed = |e: reqwest::Error| VerifyError::KeySet(e.to_string());
        let set: JwkSet = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(failed)?
            .json()
            .await
            .map_err(failed)?;
        let by_kid = set
            .keys
            .iter()
            .filter_map(|jwk| Some((jwk.common.key_id.clone()?, DecodingKey::from_jwk(jwk).ok()?)))
            .collect();
        Ok(Keys {
            by_kid,
            fetched_at: Some(Instant::now()),
        })
    }
}

/// `GET /whoami`: the caller a `Bearer` token speaks for, or 401 with the reason.
#[actix_web::get("/whoami")]
pub async fn whoami(
    verifier: actix_web::web::Data<Verifier>,
    request: actix_web::HttpRequest,
) -> actix_web::HttpResponse {
    use actix_web::{HttpResponse, http::header::AUTHORIZATION};
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let verified = match token {
        Some(token) => verifier.verify(token).await,
        None => Err(VerifyError::Malformed),
    };
    match verified {
        Ok(caller) => HttpResponse::Ok().json(caller),
        Err(error) => HttpResponse::Unauthorized().json(serde_json::json!({
            "error": "unauthorized",
            "message": error.to_string(),
        })),
    }
}
