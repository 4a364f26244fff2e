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
    dto::{ErrorBody, ErrorCode, ErrorDetail, OrgRole, Permission, Scope},
};

use crate::{db::DbError, payments::PaymentError};

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
    #[error("API key expired")]
    KeyExpired,
    #[error("not enough credits: buy more to continue")]
    InsufficientCredits,
    /// An API key's spend limit for the window is reached.
    #[error(
        "this API key's {window} spend limit of {limit} credit{} is reached: it resets at {}",
        if *limit == 1 { "" } else { "s" },
        resets_at.format("%Y-%m-%dT%H:%M:%SZ")
    )]
    KeySpendLimit {
        window: &'static str,
        limit: i64,
        resets_at: chrono::NaiveDateTime,
    },
    #[error("{0}")]
    Forbidden(&'static str),
    /// The caller's role in the organisation does not grant the permission.
    #[error("your role in this organization cannot do this: it takes {}", roles_text(*.0))]
    NotPermitted(Permission),
    /// An API key without the scope the route needs.
    #[error("this API key lacks the scope {}", .0.as_str())]
    InsufficientScope(Scope),
    /// The upload would take the organisation's files past its quota.
    #[error(
        "this file would take the organization's files past its storage quota of {quota} bytes: delete some first"
    )]
    StorageQuotaExceeded { quota: u64 },
    #[error("this account is disabled")]
    AccountDisabled,
    #[error(
        "confirm your password to continue: this needs a sign-in within the last {minutes} minutes"
    )]
    ReauthenticationRequired { minutes: u64 },
    #[error("verify your email address first: follow the link we sent you, or ask for a new one")]
    EmailNotVerified,
    #[error("this link is invalid or has expired: ask for a new one")]
    InvalidToken,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("you have {0} API keys, the most allowed: revoke one to create another")]
    KeyLimitReached(u32),
    #[error("{0}")]
    Conflict(&'static str),
    /// `If-Match` names a version the resource no longer has.
    #[error(
        "this {0} was changed since you read it (If-Match does not match its ETag): fetch it again"
    )]
    PreconditionFailed(&'static str),
    #[error("a request with this Idempotency-Key is still running: retry once it has finished")]
    IdempotencyInProgress,
    #[error(
        "this Idempotency-Key was used with another request (method, route or body): use a new key for a new request"
    )]
    IdempotencyKeyReused,
    #[error("request body is too large")]
    PayloadTooLarge,
    #[error("the file is larger than the {max} bytes an upload may carry (MAX_UPLOAD_BYTES)")]
    FileTooLarge { max: u64 },
    #[error("{0}")]
    UnsupportedMediaType(&'static str),
    #[error("too many requests: retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("payments are not configured on this server")]
    PaymentsUnavailable,
    #[error("the identity provider cannot be reached: try again later")]
    ProviderUnavailable,
    #[error("the service is not ready: the database is unavailable")]
    NotReady,
    #[error("the server is busy checking passwords: retry in {retry_after} s")]
    Busy { retry_after: u64 },
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

    /// 429 `rate_limited`, to retry after `wait` (at least a second).
    pub fn retry_after(wait: std::time::Duration) -> Self {
        Self::RateLimited {
            retry_after: wait.as_secs().max(1),
        }
    }

    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(err.into())
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Validation { .. } => ErrorCode::ValidationError,
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::Unauthorized | Self::SessionExpired | Self::KeyExpired => ErrorCode::Unauthorized,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::InsufficientCredits => ErrorCode::InsufficientCredits,
            Self::KeySpendLimit { .. } => ErrorCode::KeySpendLimit,
            Self::Forbidden(_) | Self::NotPermitted(_) => ErrorCode::Forbidden,
            Self::InsufficientScope(_) => ErrorCode::InsufficientScope,
            Self::StorageQuotaExceeded { .. } => ErrorCode::StorageQuotaExceeded,
            Self::AccountDisabled => ErrorCode::AccountDisabled,
            Self::ReauthenticationRequired { .. } => ErrorCode::ReauthenticationRequired,
            Self::EmailNotVerified => ErrorCode::EmailNotVerified,
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::EmailTaken => ErrorCode::EmailTaken,
            Self::KeyLimitReached(_) => ErrorCode::KeyLimitReached,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::IdempotencyInProgress => ErrorCode::IdempotencyInProgress,
            Self::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            Self::PreconditionFailed(_) => ErrorCode::PreconditionFailed,
            Self::PayloadTooLarge | Self::FileTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::PaymentsUnavailable => ErrorCode::PaymentsUnavailable,
            Self::ProviderUnavailable => ErrorCode::ProviderUnavailable,
            Self::NotReady => ErrorCode::NotReady,
            Self::Busy { .. } => ErrorCode::Busy,
            Self::Internal(_) => ErrorCode::Internal,
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
            _ => Self::internal(UnhandledStatus(status)),
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

/// A status Actix produced that the contract has no code for.
#[derive(Debug, thiserror::Error)]
#[error("unhandled status {0}")]
struct UnhandledStatus(StatusCode);

/// An unavailable database is `NotReady` (503: retry later), anything else a bug (500).
impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        if e.is_unavailable() {
            log_warning_chain(&e, "database unavailable");
            Self::NotReady
        } else {
            Self::internal(e)
        }
    }
}

/// A purchase that could not start: the client hears that payments are unavailable, the log why.
impl From<PaymentError> for ApiError {
    fn from(e: PaymentError) -> Self {
        match e {
            PaymentError::NotConfigured => Self::PaymentsUnavailable,
            PaymentError::Checkout(_) => {
                log_error_chain(&e, "Stripe checkout failed");
                Self::PaymentsUnavailable
            }
            PaymentError::NotCredited => Self::internal(e),
            PaymentError::Db(e) => e.into(),
        }
    }
}

/// "an owner or admin role", from the one table of who may do what.
pub fn roles_text(permission: Permission) -> String {
    let roles: Vec<&str> = permission
        .roles()
        .into_iter()
        .map(OrgRole::as_str)
        .collect();
    match roles.split_last() {
        Some((last, [])) => format!("the {last} role"),
        Some((last, rest)) => format!("the {} or {last} role", rest.join(", ")),
        None => "a role no member has".to_owned(),
    }
}

/// A blocking task (bcrypt) that panicked or was cancelled.
impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::internal(e)
    }
}

/// An error and each of its causes on one line (`outer: inner: root`): the JSON log format
/// would otherwise keep only the outermost message.
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

/// Logs a failure nobody is waiting for (a refund after the response, a background task).
pub fn log_error_chain(e: &(dyn std::error::Error + 'static), what: &str) {
    tracing::error!(error = %ErrorChain(e), "{what}");
}

fn log_warning_chain(e: &(dyn std::error::Error + 'static), what: &str) {
    tracing::warn!(error = %ErrorChain(e), "{what}");
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation { .. } | Self::BadRequest(_) | Self::InvalidToken => {
                StatusCode::BAD_REQUEST
            }
            Self::Unauthorized
            | Self::InvalidCredentials
            | Self::SessionExpired
            | Self::KeyExpired => StatusCode::UNAUTHORIZED,
            Self::InsufficientCredits | Self::KeySpendLimit { .. } => StatusCode::PAYMENT_REQUIRED,
            Self::Forbidden(_)
            | Self::NotPermitted(_)
            | Self::InsufficientScope(_)
            | Self::StorageQuotaExceeded { .. }
            | Self::AccountDisabled
            | Self::ReauthenticationRequired { .. }
            | Self::EmailNotVerified => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::EmailTaken
            | Self::KeyLimitReached(_)
            | Self::Conflict(_)
            | Self::IdempotencyInProgress => StatusCode::CONFLICT,
            Self::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge | Self::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::PaymentsUnavailable
            | Self::ProviderUnavailable
            | Self::NotReady
            | Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let Self::Internal(source) = self {
            // The cause goes to the log, never to the client.
            log_error_chain(source.as_ref(), "internal error");
        }
        let field = match self {
            Self::Validation { field, .. } => field.map(str::to_owned),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                field,
            },
        };
        let mut res = HttpResponse::build(self.status_code());
        match self {
            Self::Unauthorized | Self::InvalidCredentials => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::RateLimited { retry_after } | Self::Busy { retry_after } => {
                res.insert_header((header::RETRY_AFTER, *retry_after));
            }
            _ => {}
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
