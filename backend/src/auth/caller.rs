//! Extractors that authenticate a request. Put one in a handler's signature and the handler only
//! runs for callers it allows:
//! - `Caller`: a Bearer access token or an `X-API-Key` (scripts);
//! - `BrowserSession`: a Bearer token only, for what a leaked key must not do (mint keys, spend
//!   money, administer);
//! - `Admin`: a browser session of an admin.

use std::collections::BTreeMap;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use utoipa::openapi::{RefOr, Response};

use super::presented::{Presented, read_key};
use crate::{
    error::ApiError,
    http::{
        openapi::{Credentials, guard_responses},
        request_id::RequestUser,
    },
    models::{ApiKeyRow, KeyOwner, UserRow, now},
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// An access token minted from refresh session `session_id`.
    Session {
        session_id: i64,
    },
    ApiKey {
        key_id: i64,
    },
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserRow,
    pub credential: Credential,
}

impl Caller {
    pub async fn authenticate(req: &HttpRequest) -> Result<Self, ApiError> {
        let state = AppState::from_request(req)?;
        let presented = Presented::from_request(req)?;
        // The token is checked without the database; a bad one never costs a query.
        let claims = presented
            .bearer
            .map(|t| state.jwt.verify_once(req, t))
            .transpose()?;
        let token_user_id = claims.as_ref().map(|c| c.user_id()).transpose()?;

        let (user, key) = match (token_user_id, presented.api_key) {
            (Some(id), None) => {
                let user = state.users.get(id).await?.ok_or(ApiError::Unauthorized)?;
                (user, None)
            }
            (token_user_id, Some(api_key)) => {
                let KeyOwner { key, owner } = read_key(&state, req, api_key)
                    .await?
                    .ok_or(ApiError::Unauthorized)?;
                if token_user_id.is_some_and(|id| id != owner.id) {
                    // A token and a key of two different users: refuse rather than pick one.
                    return Err(ApiError::Unauthorized);
                }
                (owner, Some(key))
            }
            (None, None) => return Err(ApiError::Unauthorized),
        };

        // Before the token version: disabling also bumps it, and a disabled user should be told
        // why rather than asked to sign in again.
        if !user.is_active {
            return Err(ApiError::AccountDisabled);
        }
        if claims.as_ref().is_some_and(|c| c.ver != user.token_version) {
            return Err(ApiError::Unauthorized);
        }
        if let Some(k) = key.as_ref().filter(|k| k.needs_touch(now())) {
            let id = k.id;
            state
                .db
                .write(move |conn| ApiKeyRow::touch(conn, id, now()))
                .await?;
        }
        req.extensions_mut().insert(RequestUser(user.id));
        let credential = match (claims, key) {
            (Some(c), _) => Credential::Session { session_id: c.sid },
            (None, Some(k)) => Credential::ApiKey { key_id: k.id },
            (None, None) => return Err(ApiError::Unauthorized),
        };
        Ok(Self { user, credential })
    }

    pub fn session_id(&self) -> Option<i64> {
        match self.credential {
            Credential::Session { session_id } => Some(session_id),
            Credential::ApiKey { .. } => None,
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Self::authenticate(&req).await })
    }
}

/// A caller signed in through the browser flow (Bearer token), not an API key.
#[derive(Debug, Clone)]
pub struct BrowserSession {
    pub caller: Caller,
    pub session_id: i64,
}

impl FromRequest for BrowserSession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = Caller::authenticate(&req).await?;
            let session_id = caller.session_id().ok_or(ApiError::Forbidden(
                "API keys cannot do this: sign in and use a Bearer token",
            ))?;
            Ok(Self { caller, session_id })
        })
    }
}

/// A browser session of an admin.
#[derive(Debug, Clone)]
pub struct Admin(pub BrowserSession);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = BrowserSession::from_request(req, payload);
        Box::pin(async move {
            let session = session.await?;
            if !session.caller.user.is_admin() {
                return Err(ApiError::Forbidden("admins only"));
            }
            Ok(Self(session))
        })
    }
}

// What each guard answers, for the OpenAPI document (`http::openapi`).

impl utoipa::IntoResponses for Caller {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        guard_responses(Credentials::BearerOrKey, "account_disabled", [])
    }
}

impl utoipa::IntoResponses for BrowserSession {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        guard_responses(
            Credentials::Bearer,
            "forbidden (an API key: sign in instead) or account_disabled",
            [],
        )
    }
}

impl utoipa::IntoResponses for Admin {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        guard_responses(
            Credentials::Bearer,
            "forbidden (not an admin, or an API key) or account_disabled",
            [],
        )
    }
}
