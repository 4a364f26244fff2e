//! The error body every failed call answers with, and its codes.

use serde::{Deserialize, Serialize};

/// Every error body: `{"error": {"code": "...", "message": "..."}}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, snake_case, for programs (`validation_error`, `insufficient_credits`, ...).
    pub code: ErrorCode,
    /// Human text, safe to show to the user.
    pub message: String,
    /// The request field at fault, when there is one (`email`, `password`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The contract's error codes: what a program branches on (the message is for people).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationError,
    BadRequest,
    Unauthorized,
    InvalidCredentials,
    InsufficientCredits,
    /// The API key's daily or monthly spend limit is reached (the message says when it resets).
    KeySpendLimit,
    Forbidden,
    /// An API key without the scope the route needs (the message names it).
    InsufficientScope,
    /// The organisation's files would exceed its storage quota (`STORAGE_QUOTA_BYTES`).
    StorageQuotaExceeded,
    AccountDisabled,
    /// The action widens access (a new API key): give the password again, or sign in anew.
    ReauthenticationRequired,
    /// The action needs a verified email address (`REQUIRE_VERIFIED_EMAIL`).
    EmailNotVerified,
    /// The token from an email link is unknown, used, expired or superseded.
    InvalidToken,
    NotFound,
    MethodNotAllowed,
    EmailTaken,
    KeyLimitReached,
    /// A retry of a paid request with an `Idempotency-Key` whose first request is still running.
    IdempotencyInProgress,
    /// An `Idempotency-Key` sent again with another request (method, route or body).
    IdempotencyKeyReused,
    /// The action would break a rule of the resource's state (the last owner leaving, deleting
    /// an organisation that still holds credits).
    Conflict,
    /// `If-Match` names a version the resource no longer has: someone changed it meanwhile.
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    PaymentsUnavailable,
    /// An identity provider cannot be reached: try again later.
    ProviderUnavailable,
    NotReady,
    /// Too many password checks are waiting: retry after `Retry-After`.
    Busy,
    Internal,
    /// A code this client does not know yet (a newer server): treat it by its HTTP status.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationError => "validation_error",
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InsufficientCredits => "insufficient_credits",
            Self::KeySpendLimit => "key_spend_limit",
            Self::Forbidden => "forbidden",
            Self::InsufficientScope => "insufficient_scope",
            Self::StorageQuotaExceeded => "storage_quota_exceeded",
            Self::AccountDisabled => "account_disabled",
            Self::ReauthenticationRequired => "reauthentication_required",
            Self::EmailNotVerified => "email_not_verified",
            Self::InvalidToken => "invalid_token",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::EmailTaken => "email_taken",
            Self::KeyLimitReached => "key_limit_reached",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::Conflict => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::PaymentsUnavailable => "payments_unavailable",
            Self::ProviderUnavailable => "provider_unavailable",
            Self::NotReady => "not_ready",
            Self::Busy => "busy",
            Self::Internal => "internal",
            Self::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names_and_unknown_ones_are_kept_apart() {
        for code in [
            ErrorCode::ValidationError,
            ErrorCode::InsufficientCredits,
            ErrorCode::NotReady,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"quota_exceeded\"").unwrap(),
            ErrorCode::Unknown
        );
    }
}
