//! The email flows: verifying an address, resetting a forgotten password and confirming an email
//! change. Each link in an email opens a page of the SPA, which posts its token here.

use actix_web::{HttpResponse, post};
use shared::{
    dto::{Accepted, EmailTokenRequest, ErrorBody, PasswordResetConfirm, PasswordResetRequest},
    validate::{Email, Password},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{BrowserSession, password::Passwords},
    db::DbError,
    error::{ApiError, log_error_chain},
    http::json::Json,
    mail::{Message, queue, queue_link_if_due},
    models::{EmailToken, Purpose, SessionRow, UserRow, email_token::Consumed},
    state::{AppState, State},
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(verify_email)
        .service(resend_verification)
        .service(request_password_reset)
        .service(confirm_password_reset)
        .service(confirm_email_change);
}

/// The same answer whether or not an account has the address.
const RESET_ACCEPTED: &str =
    "If an account uses this address, a link to reset its password is on its way.";

pub(super) fn accepted(message: impl Into<String>) -> HttpResponse {
    HttpResponse::Accepted().json(Accepted {
        message: message.into(),
    })
}

#[utoipa::path(
    post,
    tag = "auth",
    request_body = EmailTokenRequest,
    responses(
        (status = 204, description = "The address is verified"),
        (status = 400, description = "invalid_token: unknown, used, expired or superseded", body = ErrorBody),
    )
)]
#[post("/auth/verify-email")]
async fn verify_email(
    state: State,
    body: Json<EmailTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    let verified = state
        .db
        .write(move |conn| {
            let Some(Consumed { user_id, .. }) =
                EmailToken::consume(conn, Purpose::VerifyEmail, &token)?
            else {
                return Ok(None);
            };
            UserRow::mark_email_verified(conn, user_id)?;
            Ok::<_, diesel::result::Error>(Some(user_id))
        })
        .await?;
    let user_id = verified.ok_or(ApiError::InvalidToken)?;
    tracing::info!(user_id, "email verified");
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    post,
    tag = "auth",
    responses(
        (status = 202, description = "A new verification email is queued (or the address is verified already)", body = Accepted),
        BrowserSession,
        (status = 429, description = "rate_limited: one email a minute and five a day per account", body = ErrorBody),
    )
)]
#[post("/auth/resend-verification")]
async fn resend_verification(
    state: State,
    session: BrowserSession,
) -> Result<HttpResponse, ApiError> {
    let user = session.caller.user;
    if user.email_verified_at.is_some() {
        return Ok(accepted("Your email address is verified already."));
    }
    let letterhead = state.mail.letterhead.clone();
    let (user_id, email) = (user.id, user.email);
    let waited = state
        .db
        .write(move |conn| {
            queue_link_if_due(conn, &letterhead, user_id, &email, Purpose::VerifyEmail)
        })
        .await?;
    if let Some(wait) = waited {
        return Err(ApiError::retry_after(wait));
    }
    state.mail.wake_sender();
    Ok(accepted("A new verification link is on its way."))
}

/// Answers at once, the same for every address: the account is looked up and the email queued
/// after the response, so neither the answer nor its timing tells whether the account exists.
#[utoipa::path(
    post,
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "The same answer whether or not an account uses the address; if one does (and has not had one in the last minute, or five today), a reset link valid 30 minutes is emailed", body = Accepted),
        (status = 400, description = "validation_error: not an email address", body = ErrorBody),
    )
)]
#[post("/auth/password-reset")]
async fn request_password_reset(
    state: State,
    body: Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = Email::parse(&body.email)?.into_inner();
    actix_web::rt::spawn(async move {
        if let Err(e) = queue_password_reset(&state, email).await {
            log_error_chain(&e, "could not queue a password reset email");
        }
    });
    Ok(accepted(RESET_ACCEPTED))
}

/// Queues a reset link for the active account of `email`, if there is one and it has not had
/// too many lately (silently: the requester was answered already).
async fn queue_password_reset(state: &AppState, email: String) -> Result<(), DbError> {
    let letterhead = state.mail.letterhead.clone();
    let queued = state
        .db
        .write(move |conn| {
            let Some(user) = UserRow::find_by_email(conn, &email)?.filter(|u| u.is_active) else {
                return Ok(false);
            };
            let purpose = Purpose::ResetPassword;
            let waited = queue_link_if_due(conn, &letterhead, user.id, &user.email, purpose)?;
            Ok::<_, diesel::result::Error>(waited.is_none())
        })
        .await?;
    if queued {
        state.mail.wake_sender();
    }
    Ok(())
}

#[utoipa::path(
    post,
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set and the address verified; every session, access token and emailed link of the account is revoked, and a notice is emailed"),
        (status = 400, description = "invalid_token (unknown, used, expired or superseded), or validation_error (`new_password`)", body = ErrorBody),
        Passwords,
    )
)]
#[post("/auth/password-reset/confirm")]
async fn confirm_password_reset(
    state: State,
    body: Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let PasswordResetConfirm {
        token,
        new_password,
    } = body.into_inner();
    let new_password = Password::parse(&new_password, "new_password")?;
    // A dead link is refused before it costs a password hash.
    let live = {
        let token = token.clone();
        state
            .db
            .read(move |conn| EmailToken::find_live(conn, Purpose::ResetPassword, &token))
            .await?
    };
    if live.is_none() {
        return Err(ApiError::InvalidToken);
    }
    let hash = state
        .passwords
        .hash(new_password.expose().to_owned())
        .await?;
    let letterhead = state.mail.letterhead.clone();
    let reset = state
        .db
        .write(move |conn| {
            // Consumed here, atomically: of two racing confirmations, one sets the password.
            let Some(Consumed { user_id, .. }) =
                EmailToken::consume(conn, Purpose::ResetPassword, &token)?
            else {
                return Ok(None);
            };
            let Some(user) = UserRow::find(conn, user_id)? else {
                return Ok(None);
            };
            UserRow::set_password_hash(conn, user_id, &hash)?;
            UserRow::mark_email_verified(conn, user_id)?;
            SessionRow::revoke_all_for_user(conn, user_id, None)?;
            EmailToken::revoke_all(conn, user_id)?;
            queue(conn, &letterhead, &user.email, Message::PasswordChanged)?;
            Ok::<_, diesel::result::Error>(Some(user_id))
        })
        .await?;
    let user_id = reset.ok_or(ApiError::InvalidToken)?;
    state.mail.wake_sender();
    tracing::info!(user_id, "password reset; every session revoked");
    Ok(HttpResponse::NoContent().finish())
}

/// What following an email-change link came to.
enum EmailChange {
    Changed(i64),
    /// Another account took the address meanwhile: nothing was written, the link still works.
    Taken,
    Invalid,
}

#[utoipa::path(
    post,
    tag = "auth",
    request_body = EmailTokenRequest,
    responses(
        (status = 204, description = "The account's address is the new one, verified; a notice went to the old one"),
        (status = 400, description = "invalid_token: unknown, used, expired or superseded", body = ErrorBody),
        (status = 409, description = "email_taken: another account uses the new address now", body = ErrorBody),
    )
)]
#[post("/auth/confirm-email-change")]
async fn confirm_email_change(
    state: State,
    body: Json<EmailTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    let letterhead = state.mail.letterhead.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let Some(Consumed {
                user_id,
                new_email: Some(new_email),
            }) = EmailToken::find_live(conn, Purpose::ChangeEmail, &token)?
            else {
                return Ok(EmailChange::Invalid);
            };
            if UserRow::find_by_email(conn, &new_email)?.is_some() {
                return Ok(EmailChange::Taken);
            }
            let (Some(_), Some(user)) = (
                EmailToken::consume(conn, Purpose::ChangeEmail, &token)?,
                UserRow::find(conn, user_id)?,
            ) else {
                return Ok(EmailChange::Invalid);
            };
            UserRow::change_email(conn, user_id, &new_email)?;
            // Links sent to the old address (a password reset) no longer work.
            EmailToken::revoke_all(conn, user_id)?;
            let notice = Message::EmailChanged {
                new_email: &new_email,
            };
            queue(conn, &letterhead, &user.email, notice)?;
            Ok::<_, diesel::result::Error>(EmailChange::Changed(user_id))
        })
        .await?;
    match outcome {
        EmailChange::Changed(user_id) => {
            state.mail.wake_sender();
            tracing::info!(user_id, "email changed");
            Ok(HttpResponse::NoContent().finish())
        }
        EmailChange::Taken => Err(ApiError::EmailTaken),
        EmailChange::Invalid => Err(ApiError::InvalidToken),
    }
}
