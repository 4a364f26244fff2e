//! `ApiError`: what went wrong with a call, ready to show next to the field or action at fault.

use std::fmt;

use shared::{
    ValidationError,
    dto::{ErrorBody, ErrorCode},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status; 0 when the server was not reached or the check ran in the browser.
    pub status: u16,
    /// The contract's code; `Unknown` when no answer came (see `status` and `message`).
    pub code: ErrorCode,
    /// Human text from the API, safe to show.
    pub message: String,
    /// The request field at fault, when one is.
    pub field: Option<String>,
}

impl ApiError {
    /// Builds the error from a non-2xx answer: the contract body when there is one, otherwise a
    /// message for the status (a proxy or load balancer may answer in HTML).
    pub fn from_response(status: u16, body: &str) -> Self {
        if let Ok(ErrorBody { error }) = super::client::decode::<ErrorBody>(body) {
            return Self {
                status,
                code: error.code,
                message: error.message,
                field: error.field,
            };
        }
        let (code, message) = match status {
            401 => (
                ErrorCode::Unauthorized,
                "Your session has ended: sign in again.",
            ),
            404 => (ErrorCode::NotFound, "Not found."),
            413 => (ErrorCode::PayloadTooLarge, "That is too large to send."),
            429 => (
                ErrorCode::RateLimited,
                "Too many requests: wait a moment and try again.",
            ),
            502..=504 => (
                ErrorCode::NotReady,
                "The service is unavailable right now: try again in a moment.",
            ),
            _ => (
                ErrorCode::Internal,
                "Something went wrong on our side: try again.",
            ),
        };
        Self::new(status, code, message)
    }

    /// The request never got an answer (offline, server down, CORS).
    pub fn network() -> Self {
        Self::new(
            0,
            ErrorCode::Unknown,
            "Cannot reach the server: check your connection and try again.",
        )
    }

    /// A 2xx answer whose body did not match the expected type (client and server out of step).
    pub fn unexpected(detail: impl fmt::Display) -> Self {
        Self::new(
            0,
            ErrorCode::Unknown,
            format!("Unexpected answer from the server ({detail}): reload the page."),
        )
    }

    /// A call that needs a session while none exists.
    pub fn signed_out() -> Self {
        Self::new(401, ErrorCode::Unauthorized, "Sign in to continue.")
    }

    /// A page of an emailed link opened without its token (copied in part, or reloaded after
    /// the token was taken out of the address bar): refused like a dead link, before any call.
    pub fn missing_token() -> Self {
        Self::new(
            0,
            ErrorCode::InvalidToken,
            "this link is incomplete: open it from the email again, or ask for a new one",
        )
    }

    fn new(status: u16, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A wrong password is answered 401 `invalid_credentials` in a sign-in's words; in a form
    /// that asks for the password again, it belongs next to that form's password `field`.
    pub fn at_password_field(mut self, field: &str) -> Self {
        if self.code == ErrorCode::InvalidCredentials {
            self.field = Some(field.to_owned());
            let message = match field {
                "current_password" => "the current password is not right",
                _ => "the password is not right",
            };
            self.message = message.to_owned();
        }
        self
    }

    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }
}

/// A rule of `shared::validate` refused the input before any request was sent.
impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        Self {
            status: 0,
            code: ErrorCode::ValidationError,
            message: e.message,
            field: Some(e.field.to_owned()),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
