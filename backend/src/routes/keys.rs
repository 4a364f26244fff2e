//! API keys of the organisation the caller acts in. Managing them needs a browser session (a
//! leaked key must not mint more keys) whose role may manage keys.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use shared::{
    dto::{ApiKey, CreateKeyRequest, CreatedKey, ErrorBody, PageQuery},
    validate::{KeyLifetime, KeyName, KeyScopes, PageLimit},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{Permitted, VerifiedSession, need, password::Passwords},
    error::ApiError,
    http::json::Json,
    mail::{Message, queue},
    models::{ApiKeyRow, KeySpec, after, api_key::CreateKey},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(revoke);
}

#[utoipa::path(
    get,
    tag = "keys",
    params(PageQuery),
    responses(
        (status = 200, description = "The organisation's live keys, newest first (never the key itself); pass the last id as `before` for the next page", body = Vec<ApiKey>),
        Permitted<need::ManageKeys>,
    )
)]
#[get("/keys")]
async fn list(
    state: State,
    Permitted(session, _): Permitted<need::ManageKeys>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Vec<ApiKey>>, ApiError> {
    let limit = PageLimit::parse(query.limit)?.get();
    let (org_id, before) = (session.caller.org.id, query.before);
    let keys = state
        .db
        .read(move |conn| ApiKeyRow::page(conn, org_id, limit, before))
        .await?;
    Ok(web::Json(keys.iter().map(ApiKeyRow::to_dto).collect()))
}

#[utoipa::path(
    post,
    tag = "keys",
    request_body = CreateKeyRequest,
    responses(
        (status = 201, description = "Created for the organisation: the only time `key` is shown; a notice (name and prefix) is emailed to its creator", body = CreatedKey),
        Permitted<need::ManageKeys, VerifiedSession>,
        (status = 401, description = "unauthorized, or invalid_credentials (a wrong `password`)", body = ErrorBody),
        (status = 403, description = "reauthentication_required: the session signed in over ten minutes ago; send `password` (or forbidden: an API key, a role without `manage_keys`; account_disabled; email_not_verified)", body = ErrorBody),
        Passwords,
        (status = 409, description = "key_limit_reached: the organisation holds `MAX_API_KEYS` live keys (100 by default); revoke one first", body = ErrorBody),
    )
)]
#[post("/keys")]
async fn create(
    state: State,
    req: HttpRequest,
    Permitted(VerifiedSession(session), _): Permitted<need::ManageKeys, VerifiedSession>,
    body: Json<CreateKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let CreateKeyRequest {
        name,
        scopes,
        expires_in_days,
        password,
    } = body.into_inner();
    let name = KeyName::parse(&name)?.into_inner();
    let scopes = KeyScopes::parse(scopes.as_deref())?.into_inner();
    let lifetime = KeyLifetime::parse(expires_in_days)?;
    session.confirm_identity(&state, &req, password).await?;
    let at = state.clock.now();
    let spec = KeySpec {
        name,
        scopes: scopes.into_iter().collect(),
        expires_at: lifetime.duration().map(|lifetime| after(at, lifetime)),
    };
    let (user, org) = (session.caller.user, session.caller.org);
    let org_id = org.id;
    let (user_id, max) = (user.id, state.config.max_api_keys);
    let letterhead = state.mail.letterhead.clone();
    let CreateKey::Created(created) = state
        .db
        .write(move |conn| {
            let outcome = ApiKeyRow::create(conn, org_id, user_id, &spec, max, at)?;
            if let CreateKey::Created(key) = &outcome {
                let notice = Message::ApiKeyCreated {
                    name: &key.name,
                    prefix: &key.prefix,
                    organization: org.personal_user_id.is_none().then_some(org.name.as_str()),
                };
                queue(conn, &letterhead, &user.email, notice)?;
            }
            Ok::<_, diesel::result::Error>(outcome)
        })
        .await?
    else {
        return Err(ApiError::KeyLimitReached(max));
    };
    state.mail.wake_sender();
    tracing::info!(
        user_id,
        org_id,
        key_id = created.id,
        "API key created; notice queued"
    );
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    delete,
    tag = "keys",
    params(("id" = i64, Path, description = "The key's id")),
    responses(
        (status = 204, description = "Revoked: the key fails at once"),
        Permitted<need::ManageKeys>,
        (status = 404, description = "not_found: no such key of the organisation's", body = ErrorBody),
    )
)]
#[delete("/keys/{id}")]
async fn revoke(
    state: State,
    Permitted(session, _): Permitted<need::ManageKeys>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, org_id, id) = (
        session.caller.user.id,
        session.caller.org.id,
        id.into_inner(),
    );
    if !state
        .db
        .write(move |conn| ApiKeyRow::revoke(conn, org_id, id))
        .await?
    {
        return Err(ApiError::NotFound("API key"));
    }
    tracing::info!(user_id, org_id, key_id = id, "API key revoked");
    Ok(HttpResponse::NoContent().finish())
}
