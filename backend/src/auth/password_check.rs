//! The one way a request gets a password checked: sign-in, the OAuth2 form, a password change,
//! and any route that asks for the password again. Each check counts under the sign-in limit,
//! per client and per account, before it costs a bcrypt, then waits on the bounded hashing
//! queue: a stolen access token guesses no faster than the sign-in form, and a flood of checks
//! cannot hold every sign-in up. A route that calls this lists `Passwords` among its responses.

use actix_web::HttpRequest;

use crate::{error::ApiError, models::UserRow, state::AppState};

/// Whether `password` is that of the account `email`, whose stored hash is `stored` (`None` for
/// an unknown email: the same bcrypt work, then `false`). Over the limit: 429 `rate_limited`;
/// with the hashing queue full: 503 `busy`.
pub async fn check_password(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
    stored: Option<String>,
    password: String,
) -> Result<bool, ApiError> {
    state.rate_limits.count_password_check(req, email)?;
    state.passwords.verify(password, stored).await
}

/// Asks a signed-in `user` for their password again, before a sensitive change: `Ok` when
/// `password` is theirs, else 401 `invalid_credentials` (or what `check_password` refuses).
pub async fn confirm_password(
    state: &AppState,
    req: &HttpRequest,
    user: &UserRow,
    password: String,
) -> Result<(), ApiError> {
    let stored = user.stored_password();
    match check_password(state, req, &user.email, stored, password).await? {
        true => Ok(()),
        false => Err(ApiError::InvalidCredentials),
    }
}
