//! EdDSA (Ed25519) access tokens that other services can verify from `/.well-known/jwks.json`.
//! A token names its user, the user's `token_version` when it was issued (bumping the version
//! kills every outstanding token at once), the session it came from (signing that session out
//! kills its tokens) and when its user last gave their password (`auth_time`). Its header names
//! the signing key (`kid`); the first configured key signs, every configured key verifies. The
//! same keys sign download links' tokens (`attachment_link`), which never pass for access tokens
//! here: their audience is another, and they name no user.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{HttpMessage, HttpRequest};

use jsonwebtoken::{Algorithm, Header, Validation, jwk::JwkSet};
use serde::{Deserialize, Serialize};

use super::signing_key::SigningKey;
use crate::error::ApiError;

/// Seconds of clock skew allowed on `exp` and `nbf`.
const LEEWAY: u64 = 5;
/// Tokens whose signature this process has checked, kept so a token is verified once, not on
/// every request (an Ed25519 verification costs tens of microseconds; a lookup, well under one).
const VERIFIED_CAPACITY: usize = 4096;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// The user's token_version at issue time.
    pub ver: i64,
    /// The refresh session this token was minted from.
    pub sid: i64,
    /// The organisation the token acts in (the session's active one when it was issued).
    /// Required: a token from before organisations fails, and the SPA refreshes.
    pub org: i64,
    /// When the user signed in to that session (seconds since the epoch, as in OpenID Connect):
    /// what `FreshAuth` asks of access-widening actions. Tokens from before it existed read 0.
    #[serde(default)]
    pub auth_time: i64,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

impl Claims {
    pub fn user_id(&self) -> Result<i64, ApiError> {
        self.sub.parse().map_err(|_| ApiError::Unauthorized)
    }

    /// Whether `now` is inside the token's validity, give or take the leeway.
    fn is_current(&self, now: i64) -> bool {
        let leeway = LEEWAY as i64;
        self.nbf <= now.saturating_add(leeway) && now <= self.exp.saturating_add(leeway)
    }
}

/// Who signs access tokens, for whom, and with which keys.
pub struct JwtKeys {
    /// Non-empty: the first signs.
    keys: Vec<SigningKey>,
    issuer: String,
    audience: String,
    validation: Validation,
    ttl: Duration,
    /// `/.well-known/jwks.json`'s body.
    jwks: String,
    verified: Mutex<HashMap<Box<str>, Arc<Claims>>>,
}

impl JwtKeys {
    /// `keys` must not be empty (configuration guarantees it).
    pub fn new(keys: Vec<SigningKey>, issuer: &str, audience: &str, ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = LEEWAY;
        validation.validate_nbf = true;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        let set = JwkSet {
            keys: keys.iter().map(|key| key.jwk.clone()).collect(),
        };
        Self {
            jwks: serde_json::to_string(&set).unwrap_or_default(),
            keys,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            validation,
            ttl,
            verified: Mutex::default(),
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl.as_secs().try_into().unwrap_or(i64::MAX)
    }

    /// The public keys, current and previous, as a JWK Set.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    /// The key that signs: the first.
    pub(super) fn signing_key(&self) -> Result<&SigningKey, ApiError> {
        self.keys
            .first()
            .ok_or_else(|| ApiError::internal("no signing key"))
    }

    /// The key a token's header names (`kid`), current or previous.
    pub(super) fn key_named(&self, kid: Option<&str>) -> Option<&SigningKey> {
        kid.and_then(|kid| self.keys.iter().find(|key| key.kid == kid))
    }

    /// Who signs (`iss`): `PUBLIC_URL`.
    pub(super) fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn issue(
        &self,
        user_id: i64,
        token_version: i64,
        session_id: i64,
        auth_time: i64,
        organization_id: i64,
    ) -> Result<String, ApiError> {
        let key = self.signing_key()?;
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            ver: token_version,
            sid: session_id,
            org: organization_id,
            auth_time,
            iat: now,
            nbf: now,
            exp: now.saturating_add(self.ttl_secs()),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        jsonwebtoken::encode(&header, &claims, &key.encoding).map_err(ApiError::internal)
    }

    /// Signature by one of our keys (the one its `kid` names), algorithm (EdDSA only: no `none`,
    /// no HMAC made with a public key), expiry, not-before, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Arc<Claims>, ApiError> {
        let now = chrono::Utc::now().timestamp();
        if let Some(claims) = self.lock_verified().get(token) {
            return if claims.is_current(now) {
                Ok(claims.clone())
            } else {
                Err(ApiError::Unauthorized)
            };
        }
        let claims = Arc::new(self.check_signature(token)?);
        let mut verified = self.lock_verified();
        if verified.len() >= VERIFIED_CAPACITY {
            verified.retain(|_, claims| claims.is_current(now));
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
        }
        verified.insert(token.into(), claims.clone());
        Ok(claims)
    }

    fn check_signature(&self, token: &str) -> Result<Claims, ApiError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| ApiError::Unauthorized)?;
        let key = self
            .key_named(header.kid.as_deref())
            .ok_or(ApiError::Unauthorized)?;
        jsonwebtoken::decode::<Claims>(token, &key.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| ApiError::Unauthorized)
    }

    fn lock_verified(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Arc<Claims>>> {
        // The map holds only verified tokens: one left by a panicking thread is still right.
        self.verified
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `verify`, done once per request: the rate limiter and the auth extractor both need the
    /// claims (the second asks for the same token and gets the first's answer).
    pub fn verify_once(&self, req: &HttpRequest, token: &str) -> Result<Arc<Claims>, ApiError> {
        if let Some(Verified {
            token: seen,
            claims,
        }) = req.extensions().get::<Verified>()
            && seen == token
        {
            return Ok(claims.clone());
        }
        let claims = self.verify(token)?;
        req.extensions_mut().insert(Verified {
            token: token.to_owned(),
            claims: claims.clone(),
        });
        Ok(claims)
    }
}

/// A token already verified for this request.
struct Verified {
    token: String,
    claims: Arc<Claims>,
}
