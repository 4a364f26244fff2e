//! The signed-in account: who it is, and changing its password or its email address.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use shared::{
    dto::{Accepted, ChangeEmailRequest, ChangePasswordRequest, ErrorBody, User},
    validate::{Email, Password},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{BrowserSession, Caller, confirm_password, password::Passwords},
    error::ApiError,
    http::json::Json,
    mail::{Message, queue, queue_link_if_due},
    models::{ApiKeyRow, Purpose, SessionRow, UserRow},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(me)
        .service(change_password)
        .service(change_email);
}

#[utoipa::path(
    get,
    tag = "account",
    responses(
        (status = 200, description = "The caller, acting in its organisation (`credits` is that organisation's balance)", body = User),
        Caller,
    )
)]
#[get("/me")]
async fn me(caller: Caller) -> web::Json<User> {
    web::Json(caller.to_dto())
}

/// Changes the password, then revokes every access token (the caller's too: it refreshes with its
/// cookie), every other session and, when asked, every API key.
#[utoipa::path(
    post,
    tag = "account",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; all access tokens and other sessions are revoked (refresh to continue), and every API key with `revoke_api_keys`; a notice is emailed"),
        BrowserSession,
        (status = 401, description = "unauthorized, or invalid_credentials (wrong current password)", body = ErrorBody),
        (status = 403, description = "reauthentication_required: an account without a password sets its first one within ten minutes of signing in", body = ErrorBody),
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
    let user = &session.caller.user;
    if user.has_password() {
        let current_password = current_password.ok_or_else(|| {
            ApiError::validation("current_password", "current password is required")
        })?;
        confirm_password(&state, &req, user, current_password).await?;
    } else {
        // Its first password: proven by a recent sign-in through its provider.
        session.confirm_identity(&state, &req, None).await?;
    }
    let user = session.caller.user;
    let hash = state
        .passwords
        .hash(new_password.expose().to_owned())
        .await?;
    let (user_id, keep) = (user.id, session.session_id);
    let letterhead = state.mail.letterhead.clone();
    state
        .db
        .write(move |conn| {
            UserRow::set_password_hash(conn, user_id, &hash)?;
            SessionRow::revoke_all_for_user(conn, user_id, Some(keep))?;
            if revoke_api_keys {
                ApiKeyRow::revoke_all_created_by(conn, user_id)?;
            }
            queue(conn, &letterhead, &user.email, Message::PasswordChanged)
        })
        .await?;
    state.mail.wake_sender();
    tracing::info!(user_id, revoke_api_keys, "password changed; notice queued");
    Ok(HttpResponse::NoContent().finish())
}

/// Starts an email change: a link to the new address makes it, and the old one is told. A
/// taken address is refused only when the link is followed, so this reveals no account.
#[utoipa::path(
    post,
    tag = "account",
    request_body = ChangeEmailRequest,
    responses(
        (status = 202, description = "A confirmation link (valid 1 hour) is emailed to the new address, and a notice to the current one", body = Accepted),
        (status = 400, description = "validation_error: `new_email` is not an address, or is the current one", body = ErrorBody),
        BrowserSession,
        (status = 401, description = "unauthorized, or invalid_credentials (wrong current password)", body = ErrorBody),
        Passwords,
        (status = 429, description = "rate_limited: one change email a minute and five a day per account", body = ErrorBody),
    )
)]
#[post("/me/email")]
async fn change_email(
    state: State,
    req: HttpRequest,
    session: BrowserSession,
    body: Json<ChangeEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangeEmailRequest {
        new_email,
        current_password,
    } = body.into_inner();
    let user = session.caller.user;
    let new_email = Email::parse_new(&new_email, &user.email)?.into_inner();
    confirm_password(&state, &req, &user, current_password).await?;
    let letterhead = state.mail.letterhead.clone();
    let (user_id, to) = (user.id, new_email.clone());
    let waited = state
        .db
        .write(move |conn| {
            let waited = queue_link_if_due(conn, &letterhead, user_id, &to, Purpose::ChangeEmail)?;
            if waited.is_none() {
                let notice = Message::EmailChangeRequested { new_email: &to };
                queue(conn, &letterhead, &user.email, notice)?;
            }
            Ok::<_, diesel::result::Error>(waited)
        })
        .await?;
    if let Some(wait) = waited {
        return Err(ApiError::retry_after(wait));
    }
    state.mail.wake_sender();
    tracing::info!(user_id, "email change asked for; confirmation link queued");
    Ok(HttpResponse::Accepted().json(Accepted {
        message: format!("Follow the link we sent to {new_email} to finish the change."),
    }))
}
