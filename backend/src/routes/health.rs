//! Probes for load balancers and orchestrators: liveness and readiness.

use actix_web::{HttpResponse, get};
use serde_json::json;
use shared::dto::ErrorBody;

use crate::{error::ApiError, state::State};

/// Liveness: the process answers.
#[utoipa::path(get, tag = "health", responses((status = 200, description = "Alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Readiness: the database answers too (probed at most once a second).
#[utoipa::path(
    get,
    tag = "health",
    responses(
        (status = 200, description = "Ready: the database answers (the answer may be up to a second old)"),
        (status = 503, description = "not_ready: the database does not answer", body = ErrorBody),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: State) -> Result<HttpResponse, ApiError> {
    if state.readiness.check(|| state.db.ping()).await {
        Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
    } else {
        Err(ApiError::NotReady)
    }
}
