//! HS256 access tokens. A token names its user, the user's `token_version` when it was issued
//! (bumping the version kills every outstanding token at once), the session it came from (signing
//! that session out kills its tokens) and when its user last gave their password (`auth_time`).

use std::{rc::Rc, time::Duration};

use actix_web::{HttpMessage, HttpRequest};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

const ISSUER: &str = "saas-starter";
const AUDIENCE: &str = "saas-starter-api";

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
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &SecretSlice<u8>, ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.validate_nbf = true;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret.expose_secret()),
            decoding: DecodingKey::from_secret(secret.expose_secret()),
            validation,
            ttl,
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl.as_secs().try_into().unwrap_or(i64::MAX)
    }

    pub fn issue(
        &self,
        user_id: i64,
        token_version: i64,
        session_id: i64,
        auth_time: i64,
        organization_id: i64,
    ) -> Result<String, ApiError> {
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
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// Signature, algorithm (HS256 only: no `none`, no swap), expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| ApiError::Unauthorized)
    }

    /// `verify`, done once per request: the rate limiter and the auth extractor both need the
    /// claims (the second asks for the same token and gets the first's answer).
    pub fn verify_once(&self, req: &HttpRequest, token: &str) -> Result<Rc<Claims>, ApiError> {
        if let Some(Verified {
            token: seen,
            claims,
        }) = req.extensions().get::<Verified>()
            && seen == token
        {
            return Ok(claims.clone());
        }
        let claims = Rc::new(self.verify(token)?);
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
    claims: Rc<Claims>,
}
