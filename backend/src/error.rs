//! `ApiError`: every failure the API reports, mapped to the contract's status and JSON body
//! `{"error": {"code", "message"}}`. Actix's own extractor errors are mapped here too, so no
//! `/api` answer is ever plain text or HTML.

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    body::{BoxBody, EitherBody, MessageBody},
    dev::ServiceResponse,
    error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError},
    http::{StatusCode, header},
    middleware::ErrorHandlerResponse,
};
use shared::{
    ValidationError,
    dto::{ErrorBody, ErrorDetail},
};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    Validation {
        field: Option<&'static str>,
        message: String,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required: send a valid Bearer token or X-API-Key")]
    Unauthorized,
    #[error("invalid email or password")]
    InvalidCredentials,
    #[error("your session has expired or was signed out: sign in again")]
    SessionExpired,
    #[error("not enough credits: buy more to continue")]
    InsufficientCredits,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("this account is disabled")]
    AccountDisabled,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("request body is too large")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(&'static str),
    #[error("too many requests: retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("payments are not configured on this server")]
    PaymentsUnavailable,
    #[error("the service is not ready: the database is unavailable")]
    NotReady,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(err.into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation_error",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized | Self::SessionExpired => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InsufficientCredits => "insufficient_credits",
            Self::Forbidden(_) => "forbidden",
            Self::AccountDisabled => "account_disabled",
            Self::NotFound(_) => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::EmailTaken => "email_taken",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::RateLimited { .. } => "rate_limited",
            Self::PaymentsUnavailable => "payments_unavailable",
            Self::NotReady => "not_ready",
            Self::Internal(_) => "internal",
        }
    }

    /// The contract error for a bare status produced outside our handlers (router, Actix).
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound("route"),
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Self::UnsupportedMediaType("unsupported content type")
            }
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::FORBIDDEN => Self::Forbidden("forbidden"),
            StatusCode::SERVICE_UNAVAILABLE => Self::NotReady,
            StatusCode::TOO_MANY_REQUESTS => Self::RateLimited { retry_after: 1 },
            s if s.is_client_error() => {
                Self::BadRequest(s.canonical_reason().unwrap_or("bad request").to_owned())
            }
            _ => Self::internal(format!("unhandled status {status}")),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        Self::Validation {
            field: Some(e.field),
            message: e.message,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    /// A database that is unreachable, cut off or locked is `NotReady` (503: retry later), not a
    /// bug (500).
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        let unavailable = match &e {
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => true,
            Error::DatabaseError(_, info) => {
                let message = info.message();
                message.contains("database is locked") || message.contains("terminating connection")
            }
            _ => false,
        };
        if unavailable {
            tracing::warn!(error = %e, "database unavailable");
            Self::NotReady
        } else {
            Self::internal(e)
        }
    }
}

/// No connection within `DB_TIMEOUT_MS`: the database is down or saturated.
impl From<r2d2::Error> for ApiError {
    fn from(e: r2d2::Error) -> Self {
        tracing::warn!(error = %e, "database pool: no connection");
        Self::NotReady
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::internal(e.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation { .. } | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::InvalidCredentials | Self::SessionExpired => {
                StatusCode::UNAUTHORIZED
            }
            Self::InsufficientCredits => StatusCode::PAYMENT_REQUIRED,
            Self::Forbidden(_) | Self::AccountDisabled => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::EmailTaken => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::PaymentsUnavailable | Self::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let Self::Internal(source) = self {
            // The cause goes to the log, never to the client.
            tracing::error!(error = %source, "internal error");
        }
        let field = match self {
            Self::Validation { field, .. } => field.map(str::to_owned),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
                field,
            },
        };
        let mut res = HttpResponse::build(self.status_code());
        if matches!(self, Self::Unauthorized | Self::InvalidCredentials) {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.json(body)
    }
}

pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("expected Content-Type: application/json")
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::Validation {
            field: None,
            message: format!("invalid request body: {e}"),
        },
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("malformed JSON: {e}")),
        other => ApiError::BadRequest(format!("could not read the request body: {other}")),
    }
    .into()
}

pub fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        UrlencodedError::Overflow { .. } => ApiError::PayloadTooLarge,
        UrlencodedError::ContentType => ApiError::UnsupportedMediaType(
            "expected Content-Type: application/x-www-form-urlencoded",
        ),
        UrlencodedError::Parse(_) => ApiError::Validation {
            field: None,
            message: "invalid form body".to_owned(),
        },
        other => ApiError::BadRequest(format!("could not read the form body: {other}")),
    }
    .into()
}

/// A path segment of the wrong shape (`/api/keys/abc`) names no resource.
pub fn path_error(_err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound("resource").into()
}

pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::Validation {
        field: None,
        message: format!("invalid query string: {err}"),
    }
    .into()
}

/// Gives any error response that is not already contract JSON (router 404/405, Actix's own
/// errors) the contract body.
pub fn contract_body_for_bare_errors<B: MessageBody>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, _) = res.into_parts();
    let res: ServiceResponse<EitherBody<B>> =
        ServiceResponse::new(req, ApiError::from_status(status).error_response())
            .map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
