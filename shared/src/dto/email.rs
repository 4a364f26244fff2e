//! Bodies of the email flows: verification, password reset and email change.

use serde::{Deserialize, Serialize};

/// Body of `POST /api/auth/verify-email` and `POST /api/auth/confirm-email-change`: the token
/// from the link in the email.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailTokenRequest {
    pub token: String,
}

/// Body of `POST /api/auth/password-reset`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// Body of `POST /api/auth/password-reset/confirm`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub new_password: String,
}

/// Body of `POST /api/me/email`: the address changes once the link sent to it is followed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEmailRequest {
    pub new_email: String,
    pub current_password: String,
}

/// The 202 answer of a request that queues an email: the same whoever asked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// Human text, safe to show to the user.
    pub message: String,
}
