//! API keys. Managing them needs a browser session: a leaked key must not mint more keys.

use actix_web::{HttpResponse, web};
use shared::{
    dto::{ApiKey, CreateKeyRequest},
    validate::KeyName,
};

use crate::{auth::BrowserSession, error::ApiError, models::ApiKeyRow, state::State};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/keys").get(list).post(create))
        .service(web::resource("/keys/{id}").delete(revoke));
}

async fn list(state: State, session: BrowserSession) -> Result<web::Json<Vec<ApiKey>>, ApiError> {
    let user_id = session.caller.user.id;
    let keys = state
        .db
        .read(move |conn| Ok(ApiKeyRow::list_for_user(conn, user_id)?))
        .await?;
    Ok(web::Json(keys.iter().map(ApiKeyRow::to_dto).collect()))
}

async fn create(
    state: State,
    session: BrowserSession,
    body: web::Json<CreateKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = KeyName::parse(&body.name)?.into_inner();
    let user_id = session.caller.user.id;
    let created = state
        .db
        .write(move |conn| Ok(ApiKeyRow::create(conn, user_id, &name)?))
        .await?;
    tracing::info!(user_id, key_id = created.id, "API key created");
    Ok(HttpResponse::Created().json(created))
}

async fn revoke(
    state: State,
    session: BrowserSession,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, id) = (session.caller.user.id, id.into_inner());
    if !state
        .db
        .write(move |conn| Ok(ApiKeyRow::revoke(conn, user_id, id)?))
        .await?
    {
        return Err(ApiError::NotFound("API key"));
    }
    tracing::info!(user_id, key_id = id, "API key revoked");
    Ok(HttpResponse::NoContent().finish())
}
