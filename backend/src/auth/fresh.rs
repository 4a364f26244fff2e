//! Re-authentication before an action that widens access (a new API key): a token stolen for a
//! few minutes must not become a key that works for ever. The session signed in within
//! `REAUTH_WINDOW` (the token's `auth_time`), or the request carries the password again.

use std::time::Duration;

use actix_web::HttpRequest;

use super::{BrowserSession, confirm_password};
use crate::{error::ApiError, state::AppState};

/// How recent a sign-in lets an access-widening action through without the password.
pub const REAUTH_WINDOW: Duration = Duration::from_secs(10 * 60);

impl BrowserSession {
    /// `Ok` when this session signed in within `REAUTH_WINDOW` or `password` is the account's;
    /// 403 `reauthentication_required` without a password, else what `confirm_password`
    /// answers (401 `invalid_credentials`, 429, 503 `busy`).
    pub async fn confirm_identity(
        &self,
        state: &AppState,
        req: &HttpRequest,
        password: Option<String>,
    ) -> Result<(), ApiError> {
        let signed_in_ago = chrono::Utc::now()
            .timestamp()
            .saturating_sub(self.auth_time);
        if u64::try_from(signed_in_ago).is_ok_and(|ago| ago <= REAUTH_WINDOW.as_secs()) {
            return Ok(());
        }
        let password = password.ok_or(ApiError::ReauthenticationRequired {
            minutes: REAUTH_WINDOW.as_secs() / 60,
        })?;
        confirm_password(state, req, &self.caller.user, password).await
    }
}
