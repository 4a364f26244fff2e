//! `Idempotency-Key` on paid POST routes, as Stripe has it: a retry of a request that was
//! answered gets the same answer again (`Idempotent-Replayed: true`) and is not charged again.
//! The key is claimed in the debit's own transaction (`charge::spend`), so identical requests
//! racing each other charge once; the others answer 409 `idempotency_in_progress` while the first
//! runs. The same key with another request answers 422 `idempotency_key_reused`. An answer is
//! kept 24 hours per organisation and key; an error answer is refunded and kept for no one, so
//! the retry runs again.

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    body::{self, BoxBody, MessageBody},
    dev::ServiceResponse,
    http::{StatusCode, header::ContentType},
};
use shared::validate::{IDEMPOTENCY_KEY_HEADER, IdempotencyKey};

use crate::{
    auth::secret::sha256_hex,
    db::DbError,
    error::{ApiError, log_error_chain},
    models::idempotency::{Answer, StoredAnswer},
    state::AppState,
};

/// The header that marks an answer as a replay.
const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// The key a request was sent with and what identifies the request: its method, route and
/// body (byte for byte).
#[derive(Debug, Clone)]
pub(super) struct Idempotent {
    pub key: IdempotencyKey,
    pub fingerprint: String,
}

impl Idempotent {
    /// The request's key, if it sent one, for the request to `route` with `body`.
    pub fn of(req: &HttpRequest, route: &str, body: &str) -> Result<Option<Self>, ApiError> {
        let Some(value) = req.headers().get(IDEMPOTENCY_KEY_HEADER) else {
            return Ok(None);
        };
        let key = IdempotencyKey::parse(&String::from_utf8_lossy(value.as_bytes()))?;
        let fingerprint = sha256_hex(&format!("{route}\n{body}"));
        Ok(Some(Self { key, fingerprint }))
    }
}

/// The stored answer to an earlier request with the same key, sent again. An `Err` of the
/// extractor, as that is how an extractor answers in the handler's stead.
#[derive(Debug, thiserror::Error)]
#[error("replay of an answered request")]
pub(super) struct Replay(pub StoredAnswer);

impl ResponseError for Replay {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        HttpResponse::build(self.status_code())
            .content_type(ContentType::json())
            .insert_header((REPLAYED_HEADER, "true"))
            .body(self.0.body.clone())
    }
}

/// Keeps the answer of the request that claimed the organisation's `key` before it leaves: a
/// retry sent after the client has the answer finds it stored (on SQLite, queued ahead of the
/// retry's claim on the writer thread, so the answer's commit is not waited for). If it cannot be
/// stored, retries answer 409 until the key's 24 hours are over, rather than charge twice.
pub(super) async fn keep_answer<B: MessageBody>(
    state: &AppState,
    organization_id: i64,
    key: String,
    res: ServiceResponse<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let status = res.status().as_u16();
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let bytes = match body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(e) => {
            // Not `Send`: logged here, with its causes, rather than carried.
            log_error_chain(e.into().as_ref(), "could not read a paid answer to keep it");
            return Err(ApiError::internal("a paid answer could not be read").into());
        }
    };
    let answer = StoredAnswer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    let kept = Answer {
        organization_id,
        key,
        answer,
    };
    let failed =
        |e: DbError| log_error_chain(&e, "could not keep the answer of an idempotent request");
    state.answers.write_ahead(kept, failed).await;
    Ok(ServiceResponse::new(req, res.set_body(BoxBody::new(bytes))))
}
