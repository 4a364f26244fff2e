//! Extractors that authenticate a request. Put one in a handler's signature and the handler only
//! runs for callers it allows:
//! - `Caller`: a Bearer access token or an `X-API-Key` (scripts);
//! - `BrowserSession`: a Bearer token only, for what a leaked key must not do (mint keys, spend
//!   money, administer);
//! - `VerifiedSession`: a browser session with a verified address (when required), for buying
//!   credits and creating keys;
//! - `Admin`: a browser session of an admin;
//! - `Permitted<P, E>`: extractor `E` (a browser session by default) whose role in the
//!   organisation it acts in grants permission `P` (`need::ManageKeys`, ...).
//!
//! Every caller acts in one organisation: an API key in its own, a browser session in the one
//! its access token names (switched with `POST /api/orgs/{id}/switch`). The membership is read
//! with the session, so a removed member's tokens stop at their next request.

use std::{collections::BTreeMap, marker::PhantomData};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use shared::dto::{OrgRole, Permission, User};
use utoipa::openapi::{RefOr, Response};

use super::presented::{Presented, read_key};
use crate::{
    error::ApiError,
    http::{
        openapi::{Credentials, add_permission, guard_responses},
        request_id::RequestUser,
    },
    models::{
        ApiKeyRow, KeyOwner, OrganizationRow, ScopeSet, SessionOwner, UserRow, ledger::Actor, now,
        organization::Membership,
    },
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// An access token minted from refresh session `session_id`, whose user signed in at
    /// `auth_time` (seconds since the epoch).
    Session { session_id: i64, auth_time: i64 },
    /// An `X-API-Key`, which may do what its scopes allow; `limited`: its paid calls count
    /// against a spend limit.
    ApiKey {
        key_id: i64,
        scopes: ScopeSet,
        limited: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Caller {
    /// The session's user, or the key's creator.
    pub user: UserRow,
    /// The organisation the caller acts in, as read with the credential.
    pub org: OrganizationRow,
    /// The caller's role in `org`; `None` for an API key, which acts for the organisation.
    pub role: Option<OrgRole>,
    pub credential: Credential,
}

impl Caller {
    /// Whether the caller may do `permission` in the organisation it acts in: a member as their
    /// role allows, a key as its scopes do.
    pub fn may(&self, permission: Permission) -> bool {
        match (self.role, self.credential) {
            (Some(role), _) => role.can(permission),
            (None, Credential::ApiKey { scopes, .. }) => permission
                .scope()
                .is_some_and(|scope| scopes.contains(scope)),
            (None, Credential::Session { .. }) => false,
        }
    }

    /// 403 unless the caller may do `permission`: `insufficient_scope` naming the scope a key
    /// lacks, `forbidden` naming the roles that may otherwise.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        match (self.may(permission), self.credential, permission.scope()) {
            (true, ..) => Ok(()),
            (false, Credential::ApiKey { .. }, Some(scope)) => {
                Err(ApiError::InsufficientScope(scope))
            }
            (false, ..) => Err(ApiError::NotPermitted(permission)),
        }
    }

    /// The caller's key when its spending counts against a limit.
    pub fn limited_key(&self) -> Option<i64> {
        match self.credential {
            Credential::ApiKey {
                key_id,
                limited: true,
                ..
            } => Some(key_id),
            _ => None,
        }
    }

    /// Who a credit movement of this caller is recorded as.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            api_key_id: match self.credential {
                Credential::ApiKey { key_id, .. } => Some(key_id),
                Credential::Session { .. } => None,
            },
        }
    }

    /// The caller as `GET /api/me` shows it: the user, acting in its organisation.
    pub fn to_dto(&self) -> User {
        self.user.to_dto(&self.org, self.role)
    }

    pub async fn authenticate(req: &HttpRequest) -> Result<Self, ApiError> {
        let state = AppState::from_request(req)?;
        let presented = Presented::from_request(req)?;
        // The token is checked without the database; a bad one never costs a query.
        let claims = presented
            .bearer
            .map(|t| state.jwt.verify_once(req, t))
            .transpose()?;
        let token_user_id = claims.as_ref().map(|c| c.user_id()).transpose()?;

        let (user, org, role, key, signed_in) = match (&claims, presented.api_key) {
            (Some(claims), None) => {
                // Not found also when the user is no longer a member of the token's
                // organisation: the SPA refreshes, and lands in its personal one.
                let SessionOwner {
                    owner,
                    signed_in,
                    membership: Membership { organization, role },
                    ..
                } = state
                    .sessions
                    .get((claims.sid, claims.org))
                    .await?
                    .ok_or(ApiError::Unauthorized)?;
                if token_user_id != Some(owner.id) {
                    return Err(ApiError::Unauthorized);
                }
                (owner, organization, Some(role), None, signed_in)
            }
            (_, Some(api_key)) => {
                let KeyOwner {
                    key,
                    creator,
                    organization,
                } = read_key(&state, req, api_key)
                    .await?
                    .ok_or(ApiError::Unauthorized)?;
                if key.is_expired(state.clock.now()) {
                    return Err(ApiError::KeyExpired);
                }
                if token_user_id.is_some_and(|id| id != creator.id) {
                    // A token and a key of two different users: refuse rather than pick one.
                    return Err(ApiError::Unauthorized);
                }
                (creator, organization, None, Some(key), true)
            }
            (None, None) => return Err(ApiError::Unauthorized),
        };

        // Before the token version: disabling also bumps it, and a disabled user should be told
        // why rather than asked to sign in again.
        if !user.is_active {
            return Err(ApiError::AccountDisabled);
        }
        // A signed-out session's tokens die with it, not when they expire.
        if !signed_in || claims.as_ref().is_some_and(|c| c.ver != user.token_version) {
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
        // A key beside a token acts as the key: only the key's row was read, so the token's
        // session was not checked and must not lend its rights.
        let credential = match (key, claims) {
            (Some(k), _) => Credential::ApiKey {
                key_id: k.id,
                scopes: k.scope_set(),
                limited: k.is_limited(),
            },
            (None, Some(c)) => Credential::Session {
                session_id: c.sid,
                auth_time: c.auth_time,
            },
            (None, None) => return Err(ApiError::Unauthorized),
        };
        Ok(Self {
            user,
            org,
            role,
            credential,
        })
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
    /// When the user signed in to this session (seconds since the epoch).
    pub auth_time: i64,
}

impl FromRequest for BrowserSession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = Caller::authenticate(&req).await?;
            let Credential::Session {
                session_id,
                auth_time,
            } = caller.credential
            else {
                return Err(ApiError::Forbidden(
                    "API keys cannot do this: sign in and use a Bearer token",
                ));
            };
            Ok(Self {
                caller,
                session_id,
                auth_time,
            })
        })
    }
}

/// A browser session whose address is verified, when `REQUIRE_VERIFIED_EMAIL` asks for it: for
/// spending money and widening access (buying credits, creating API keys).
#[derive(Debug, Clone)]
pub struct VerifiedSession(pub BrowserSession);

impl FromRequest for VerifiedSession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = BrowserSession::from_request(req, payload);
        let state = AppState::from_request(req);
        Box::pin(async move {
            let session = session.await?;
            if state?.mail.require_verified_email && session.caller.user.email_verified_at.is_none()
            {
                return Err(ApiError::EmailNotVerified);
            }
            Ok(Self(session))
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

/// What `Permitted` asks of a caller: one permission, named by a marker type of `need`.
pub trait Need {
    const PERMISSION: Permission;
}

/// The permissions as types, for route signatures: `Permitted<need::ManageKeys>`.
pub mod need {
    use shared::dto::Permission;

    macro_rules! needs {
        ($($name:ident),* $(,)?) => {$(
            #[doc = concat!("`Permission::", stringify!($name), "`")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl super::Need for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    needs!(
        OwnOrganization,
        ManageOrganization,
        ManageMembers,
        ManageKeys,
        Purchase,
        Spend,
        ReadCredits,
        ReadTasks,
        WriteTasks,
    );
}

/// An authenticating extractor whose caller a guard can inspect.
pub trait Authenticated: FromRequest<Error = ApiError> + utoipa::IntoResponses + 'static {
    fn caller(&self) -> &Caller;
}

impl Authenticated for Caller {
    fn caller(&self) -> &Caller {
        self
    }
}

impl Authenticated for BrowserSession {
    fn caller(&self) -> &Caller {
        &self.caller
    }
}

impl Authenticated for VerifiedSession {
    fn caller(&self) -> &Caller {
        &self.0.caller
    }
}

/// `E` (a browser session by default) acting in an organisation where its role grants `P`: 403
/// `forbidden` naming the roles that do, otherwise.
pub struct Permitted<P: Need, E: Authenticated = BrowserSession>(pub E, pub PhantomData<P>);

impl<P: Need, E: Authenticated> FromRequest for Permitted<P, E> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let inner = E::from_request(req, payload);
        Box::pin(async move {
            let inner = inner.await?;
            inner.caller().require(P::PERMISSION)?;
            Ok(Self(inner, PhantomData))
        })
    }
}

// What each guard answers, for the OpenAPI document (`http::openapi`).

impl<P: Need, E: Authenticated> utoipa::IntoResponses for Permitted<P, E> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = E::responses();
        add_permission(P::PERMISSION, &mut responses);
        responses
    }
}

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

impl utoipa::IntoResponses for VerifiedSession {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        guard_responses(
            Credentials::Bearer,
            "forbidden (an API key: sign in instead), account_disabled, or email_not_verified \
             (`REQUIRE_VERIFIED_EMAIL`: follow the link sent at sign-up)",
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
