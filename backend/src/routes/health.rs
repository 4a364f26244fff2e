use actix_web::HttpResponse;
use serde_json::json;

use crate::{error::ApiError, state::State};

/// Liveness: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Readiness: the database answers too.
pub async fn readyz(state: State) -> Result<HttpResponse, ApiError> {
    if state.db.ping().await {
        Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
    } else {
        Err(ApiError::NotReady)
    }
}
