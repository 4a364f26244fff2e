//! The email flows: the requests that send a link, and the calls that follow one (verify the
//! address, set a new password, confirm a new address).

use shared::dto::{
    Accepted, ChangeEmailRequest, EmailTokenRequest, PasswordResetConfirm, PasswordResetRequest,
};

use super::{
    ApiError,
    client::{
        self,
        Auth::{Public, Session},
    },
    me, refresh,
};
use crate::store;

/// Follows a verification link. The signed-in profile is read again: the banner goes once the
/// server says so (the link may belong to another account than the one signed in here).
pub async fn verify_email(token: &str) -> Result<(), ApiError> {
    client::post::<_, ()>("/api/auth/verify-email", &token_body(token), Public).await?;
    reload_profile().await;
    Ok(())
}

/// Queues a new verification email for the signed-in user (429 within a minute of the last).
pub async fn resend_verification() -> Result<Accepted, ApiError> {
    client::post_empty("/api/auth/resend-verification", Session).await
}

/// Asks for a reset link; the answer is the same whether or not an account has the address.
pub async fn request_password_reset(request: &PasswordResetRequest) -> Result<Accepted, ApiError> {
    client::post("/api/auth/password-reset", request, Public).await
}

/// Sets a new password from a reset link. The server then revokes every session of the
/// account: a session of this browser is refreshed, which signs it out if it was that account's.
pub async fn confirm_password_reset(request: &PasswordResetConfirm) -> Result<(), ApiError> {
    client::post::<_, ()>("/api/auth/password-reset/confirm", request, Public).await?;
    if store::current().access_token().is_some() {
        let _ = refresh().await;
    }
    Ok(())
}

/// Starts an email change: a link goes to the new address, which changes once it is followed.
pub async fn change_email(request: &ChangeEmailRequest) -> Result<Accepted, ApiError> {
    client::post("/api/me/email", request, Session).await
}

/// Follows the link sent to a new address (409 `email_taken` when another account has it now).
pub async fn confirm_email_change(token: &str) -> Result<(), ApiError> {
    client::post::<_, ()>("/api/auth/confirm-email-change", &token_body(token), Public).await?;
    reload_profile().await;
    Ok(())
}

fn token_body(token: &str) -> EmailTokenRequest {
    EmailTokenRequest {
        token: token.to_owned(),
    }
}

/// The signed-in user's profile as the server has it now, after a link changed an account.
async fn reload_profile() {
    if store::current().access_token().is_some() {
        // The page already says what the link did; a stale profile only delays the banner.
        let _ = me().await;
    }
}
