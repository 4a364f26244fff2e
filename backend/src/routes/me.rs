//! The signed-in account: who it is, and changing its password.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use shared::{
    dto::{ChangePasswordRequest, ErrorBody, User},
    validate::Password,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{BrowserSession, Caller, confirm_password, password::Passwords},
    error::ApiError,
    http::json::Json,
    models::{ApiKeyRow, SessionRow, UserRow},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(me).service(change_password);
}

#[utoipa::path(
    get,
    tag = "account",
    responses(
        (status = 200, description = "The caller", body = User),
        Caller,
    )
)]
#[get("/me")]
async fn me(caller: Caller) -> web::Json<User> {
    web::Json(caller.user.to_dto())
}

/// Changes the password, then revokes every access token (the caller's too: it refreshes with its
/// cookie), every other session and, when asked, every API key.
#[utoipa::path(
    post,
    tag = "account",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; all access tokens and other sessions are revoked (refresh to continue), and every API key with `revoke_api_keys`"),
        BrowserSession,
        (status = 401, description = "unauthorized, or invalid_credentials (wrong current password)", body = ErrorBody),
        Passwords,
    )
)]
#[post("/me/password")]
async fn change_password(
    state: State,
    req: HttpRequest,
    session: BrowserSession,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
        revoke_api_keys,
    } = body.into_inner();
    let new_password = Password::parse(&new_password, "new_password")?;
    let user = session.caller.user;
    confirm_password(&state, &req, &user, current_password).await?;
    let hash = state
        .passwords
        .hash(new_password.expose().to_owned())
        .await?;
    let (user_id, keep) = (user.id, session.session_id);
    state
        .db
        .write(move |conn| {
            UserRow::set_password_hash(conn, user_id, &hash)?;
            SessionRow::revoke_all_for_user(conn, user_id, Some(keep))?;
            if revoke_api_keys {
                ApiKeyRow::revoke_all_for_user(conn, user_id)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .await?;
    tracing::info!(user_id, revoke_api_keys, "password changed");
    Ok(HttpResponse::NoContent().finish())
}
