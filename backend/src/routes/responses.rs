//! Error responses many routes share, for their OpenAPI annotations.

use shared::dto::ErrorBody;
use utoipa::IntoResponses;

/// A route that reads a JSON (or form) body.
#[derive(IntoResponses)]
#[allow(dead_code)] // Only read by the OpenAPI derive.
pub enum BadBody {
    #[response(status = 400, description = "validation_error or bad_request")]
    Invalid(ErrorBody),
    #[response(status = 413, description = "payload_too_large")]
    TooLarge(ErrorBody),
    #[response(status = 415, description = "unsupported_media_type")]
    WrongContentType(ErrorBody),
}

/// A route for a Bearer token or an API key.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum NeedsCaller {
    #[response(
        status = 401,
        description = "unauthorized: missing or invalid credentials"
    )]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "account_disabled")]
    Disabled(ErrorBody),
}

/// A route for a browser session (Bearer token) only.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum NeedsSession {
    #[response(
        status = 401,
        description = "unauthorized: missing or invalid credentials"
    )]
    Unauthorized(ErrorBody),
    #[response(
        status = 403,
        description = "forbidden (an API key, or not an admin) or account_disabled"
    )]
    Forbidden(ErrorBody),
}

/// Every `/api` route.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Limited {
    #[response(status = 429, description = "rate_limited (see Retry-After)")]
    RateLimited(ErrorBody),
}
