//! Sign up, sign in (JSON and the OAuth2 password form), refresh, sign out.

use actix_web::{HttpRequest, HttpResponse, post, web};
use shared::{
    dto::{Credentials, ErrorBody, LogoutAllRequest, Role, TokenForm, TokenResponse},
    validate::{Email, Password},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{BrowserSession, check_password, cookie, password::Passwords},
    error::ApiError,
    http::json::{Json, JsonOrEmpty},
    mail::create_account,
    models::{
        ApiKeyRow, OrganizationRow, SessionRow, UserRow,
        organization::Membership,
        session::{IssuedSession, Rotation},
        user::CreateUser,
    },
    state::{AppState, State},
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(signup)
        .service(login)
        .service(oauth2_token)
        .service(refresh)
        .service(logout)
        .service(logout_all);
}

#[utoipa::path(
    post,
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 201, description = "Signed up; the refresh cookie is set, and an email with a link to verify the address (valid 24 hours) is queued", body = TokenResponse),
        (status = 409, description = "email_taken", body = ErrorBody),
        Passwords,
    )
)]
#[post("/auth/signup")]
async fn signup(state: State, body: Json<Credentials>) -> Result<HttpResponse, ApiError> {
    let Credentials { email, password } = body.into_inner();
    let email = Email::parse(&email)?.into_inner();
    let password = Password::parse(&password, "password")?;
    let hash = state.passwords.hash(password.expose().to_owned()).await?;
    let lifetime = state.config.session_lifetime();
    let letterhead = state.mail.letterhead.clone();
    let signed_up = state
        .db
        .write(move |conn| {
            let CreateUser::Created(user) =
                create_account(conn, &letterhead, &email, &hash, Role::User)?
            else {
                return Ok(None);
            };
            let session = SessionRow::start(conn, user.id, lifetime)?;
            let membership = OrganizationRow::active(conn, user.id, None)?;
            Ok::<_, diesel::result::Error>(Some((user, session, membership)))
        })
        .await?;
    let (user, session, membership) = signed_up.ok_or(ApiError::EmailTaken)?;
    state.mail.wake_sender();
    tracing::info!(user_id = user.id, "signed up; verification email queued");
    token_response(&state, HttpResponse::Created(), &user, session, membership)
}

#[utoipa::path(
    post,
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the refresh cookie is set", body = TokenResponse),
        (status = 401, description = "invalid_credentials", body = ErrorBody),
        (status = 403, description = "account_disabled", body = ErrorBody),
        Passwords,
    )
)]
#[post("/auth/login")]
async fn login(
    state: State,
    req: HttpRequest,
    body: Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let Credentials { email, password } = body.into_inner();
    sign_in(&state, &req, &email, password).await
}

/// OAuth2 password flow (`username` is the email), for the OpenAPI "Authorize" button and scripts.
#[utoipa::path(
    post,
    tag = "auth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "OAuth2 password flow: signed in", body = TokenResponse),
        (status = 401, description = "invalid_credentials", body = ErrorBody),
        (status = 403, description = "account_disabled", body = ErrorBody),
        Passwords,
    )
)]
#[post("/auth/token")]
async fn oauth2_token(
    state: State,
    req: HttpRequest,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, ApiError> {
    let TokenForm {
        username, password, ..
    } = form.into_inner();
    sign_in(&state, &req, &username, password).await
}

/// One answer for an unknown email and a wrong password, after the same bcrypt work.
async fn sign_in(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    password: String,
) -> Result<HttpResponse, ApiError> {
    let email = Email::parse(email)
        .map_err(|_| ApiError::InvalidCredentials)?
        .into_inner();
    let user = state
        .db
        .read({
            let email = email.clone();
            move |conn| UserRow::find_by_email(conn, &email)
        })
        .await?;
    let stored = user.as_ref().and_then(UserRow::stored_password);
    // Kept for a rehash at the current cost, should the stored hash be older.
    let password_again = password.clone();
    let valid = check_password(state, req, &email, stored, password).await?;
    let user = user.filter(|_| valid).ok_or(ApiError::InvalidCredentials)?;
    if !user.is_active {
        return Err(ApiError::AccountDisabled);
    }
    if state.passwords.needs_rehash(&user.password_hash) {
        let new_hash = state.passwords.hash(password_again).await?;
        let (id, old_hash) = (user.id, user.password_hash.clone());
        state
            .db
            .write(move |conn| UserRow::upgrade_password_hash(conn, id, &old_hash, &new_hash))
            .await?;
        tracing::info!(
            user_id = id,
            cost = state.config.bcrypt_cost,
            "password hash upgraded to the current cost"
        );
    }
    let (user_id, lifetime) = (user.id, state.config.session_lifetime());
    let (session, membership) = state
        .db
        .write(move |conn| {
            let session = SessionRow::start(conn, user_id, lifetime)?;
            let membership = OrganizationRow::active(conn, user_id, None)?;
            Ok::<_, diesel::result::Error>((session, membership))
        })
        .await?;
    token_response(state, HttpResponse::Ok(), &user, session, membership)
}

#[utoipa::path(
    post,
    tag = "auth",
    responses(
        (status = 200, description = "A new access token; the refresh cookie rotates", body = TokenResponse),
        (status = 401, description = "unauthorized: no, expired, revoked or reused refresh cookie", body = ErrorBody),
        (status = 403, description = "account_disabled", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
async fn refresh(state: State, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let token = cookie::read(&req).ok_or(ApiError::SessionExpired)?;
    let idle = state.config.refresh_token_ttl;
    let refreshed = state
        .db
        .write(move |conn| {
            // A disabled account is told so, whatever became of its sessions.
            let owner = match SessionRow::owner_of(conn, &token)? {
                Some(id) => UserRow::find(conn, id)?,
                None => None,
            };
            let Some(user) = owner else {
                return Ok(Refresh::Refused);
            };
            if !user.is_active {
                return Ok(Refresh::AccountDisabled);
            }
            // Committed whatever the outcome: a reused token has just revoked its family.
            Ok::<_, diesel::result::Error>(match SessionRow::rotate(conn, &token, idle)? {
                Rotation::Rotated(session) => {
                    // The organisation switched to, while still a member; else the personal one.
                    let membership =
                        OrganizationRow::active(conn, user.id, session.organization_id)?;
                    Refresh::Rotated(Box::new((user, session, membership)))
                }
                Rotation::Reused | Rotation::Expired | Rotation::Unknown => Refresh::Refused,
            })
        })
        .await?;
    match refreshed {
        Refresh::Rotated(rotated) => {
            let (user, session, membership) = *rotated;
            token_response(&state, HttpResponse::Ok(), &user, session, membership)
        }
        Refresh::AccountDisabled => Ok(with_cleared_cookie(&state, ApiError::AccountDisabled)),
        Refresh::Refused => Ok(with_cleared_cookie(&state, ApiError::SessionExpired)),
    }
}

/// What a refresh came to.
enum Refresh {
    Rotated(Box<(UserRow, IssuedSession, Option<Membership>)>),
    AccountDisabled,
    /// No, expired, revoked or reused token: sign in again.
    Refused,
}

#[utoipa::path(
    post,
    tag = "auth",
    responses(
        (status = 204, description = "Signed out; the refresh cookie is cleared"),
    )
)]
#[post("/auth/logout")]
async fn logout(state: State, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(token) = cookie::read(&req) {
        state
            .db
            .write(move |conn| SessionRow::revoke_token(conn, &token))
            .await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(cookie::clear(&state.config))
        .finish())
}

/// Ends every session of the user and kills every outstanding access token; with
/// `revoke_api_keys`, every API key too.
#[utoipa::path(
    post,
    tag = "auth",
    request_body = Option<LogoutAllRequest>,
    responses(
        (status = 204, description = "Every session and access token of the user is revoked, and every API key with `revoke_api_keys`"),
        BrowserSession,
    )
)]
#[post("/auth/logout-all")]
async fn logout_all(
    state: State,
    session: BrowserSession,
    body: JsonOrEmpty<LogoutAllRequest>,
) -> Result<HttpResponse, ApiError> {
    let user_id = session.caller.user.id;
    let LogoutAllRequest { revoke_api_keys } = body.into_inner();
    state
        .db
        .write(move |conn| {
            SessionRow::revoke_all_for_user(conn, user_id, None)?;
            if revoke_api_keys {
                ApiKeyRow::revoke_all_created_by(conn, user_id)?;
            }
            UserRow::revoke_access_tokens(conn, user_id)
        })
        .await?;
    tracing::info!(user_id, revoke_api_keys, "signed out everywhere");
    Ok(HttpResponse::NoContent()
        .cookie(cookie::clear(&state.config))
        .finish())
}

fn token_response(
    state: &AppState,
    mut builder: actix_web::HttpResponseBuilder,
    user: &UserRow,
    session: IssuedSession,
    membership: Option<Membership>,
) -> Result<HttpResponse, ApiError> {
    // Sign-up makes the personal organisation and the migrations gave every user theirs.
    let membership =
        membership.ok_or_else(|| ApiError::internal("a user without a personal organization"))?;
    let auth_time = session.authenticated_at.and_utc().timestamp();
    let body = access_token(state, user, session.id, auth_time, &membership)?;
    Ok(builder
        .cookie(cookie::issue(&state.config, session.refresh_token))
        .json(body))
}

/// A new access token for session `session_id` of `user`, acting in `membership`'s
/// organisation, and the user as it shows them.
pub(super) fn access_token(
    state: &AppState,
    user: &UserRow,
    session_id: i64,
    auth_time: i64,
    membership: &Membership,
) -> Result<TokenResponse, ApiError> {
    let access_token = state.jwt.issue(
        user.id,
        user.token_version,
        session_id,
        auth_time,
        membership.organization.id,
    )?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: state.jwt.ttl_secs(),
        user: user.to_dto(&membership.organization, Some(membership.role)),
    })
}

fn with_cleared_cookie(state: &AppState, err: ApiError) -> HttpResponse {
    use actix_web::ResponseError;
    let mut res = err.error_response();
    let _ = res.add_cookie(&cookie::clear(&state.config));
    res
}
