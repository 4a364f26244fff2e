//! API keys of the organisation the caller acts in. Managing them needs a browser session (a
//! leaked key must not mint more keys) whose role may manage keys.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use shared::{
    dto::{ApiKey, CreateKeyRequest, CreatedKey, ErrorBody, PageQuery, RotateKeyRequest},
    validate::{KeyGrace, KeyLifetime, KeyName, KeyScopes, PageLimit, rate_limit, spend_limit},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{Permitted, VerifiedSession, need, password::Passwords},
    db::AnyConnection,
    error::ApiError,
    http::json::Json,
    mail::{Letterhead, Message, queue},
    models::{
        ApiKeyRow, KeySpec, LedgerRow, OrganizationRow, after,
        api_key::{CreateKey, Rotation},
        key_spend::Window,
    },
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(rotate)
        .service(revoke);
}

/// Queues the notice of a new key (made or rotated) to the member who made it, in the same
/// transaction as the key.
fn queue_notice(
    conn: &mut AnyConnection,
    letterhead: &Letterhead,
    to: &str,
    key: &CreatedKey,
    org: &OrganizationRow,
) -> diesel::QueryResult<()> {
    let notice = Message::ApiKeyCreated {
        name: &key.name,
        prefix: &key.prefix,
        organization: org.personal_user_id.is_none().then_some(org.name.as_str()),
    };
    queue(conn, letterhead, to, notice)
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
    let (org_id, before, at) = (session.caller.org.id, query.before, state.clock.now());
    let (keys, spent) = state
        .db
        .read(move |conn| {
            let keys = ApiKeyRow::page(conn, org_id, limit, before, at)?;
            let (month, day) = (Window::Month.start(at), Window::Day.start(at));
            let spent = LedgerRow::spent_by_key(conn, org_id, month, day)?;
            Ok::<_, diesel::result::Error>((keys, spent))
        })
        .await?;
    let listed = keys.iter().map(|key| {
        let ledger = spent.get(&key.id).copied().unwrap_or_default();
        key.to_dto(at, ledger)
    });
    Ok(web::Json(listed.collect()))
}

#[utoipa::path(
    post,
    tag = "keys",
    request_body = CreateKeyRequest,
    responses(
        (status = 201, description = "Created for the organisation: the only time `key` is shown; a notice (name and prefix) is emailed to its creator", body = CreatedKey),
        Permitted<need::ManageKeys, VerifiedSession>,
        (status = 401, description = "unauthorized, or invalid_credentials (a wrong `password`)", body = ErrorBody),
        (status = 403, description = "reauthentication_required: the session signed in over ten minutes ago; send `password`", body = ErrorBody),
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
        spend_limit_daily,
        spend_limit_monthly,
        rate_limit_per_minute,
        password,
    } = body.into_inner();
    let name = KeyName::parse(&name)?.into_inner();
    let scopes = KeyScopes::parse(scopes.as_deref())?.into_inner();
    let lifetime = KeyLifetime::parse(expires_in_days)?;
    let spend_limit_daily = spend_limit(spend_limit_daily, "spend_limit_daily")?;
    let spend_limit_monthly = spend_limit(spend_limit_monthly, "spend_limit_monthly")?;
    let rate_limit_per_minute = rate_limit(rate_limit_per_minute)?;
    session.confirm_identity(&state, &req, password).await?;
    let at = state.clock.now();
    let spec = KeySpec {
        name,
        scopes: scopes.into_iter().collect(),
        expires_at: lifetime.duration().map(|lifetime| after(at, lifetime)),
        spend_limit_daily,
        spend_limit_monthly,
        rate_limit_per_minute,
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
                queue_notice(conn, &letterhead, &user.email, key, &org)?;
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
    post,
    tag = "keys",
    params(("id" = i64, Path, description = "The key's id")),
    request_body = RotateKeyRequest,
    responses(
        (status = 201, description = "The new key, with the old one's name, scopes and expiry: the only time `key` is shown. The old secret works for `grace_seconds` more (never past its own expiry), then answers 401; both are listed until then. A notice is emailed as for a new key", body = CreatedKey),
        Permitted<need::ManageKeys, VerifiedSession>,
        (status = 401, description = "unauthorized, or invalid_credentials (a wrong `password`)", body = ErrorBody),
        (status = 403, description = "reauthentication_required: the session signed in over ten minutes ago; send `password`", body = ErrorBody),
        Passwords,
        (status = 404, description = "not_found: no live key of the organisation's with this id", body = ErrorBody),
        (status = 409, description = "conflict: the key was rotated already; rotate its replacement", body = ErrorBody),
    )
)]
#[post("/keys/{id}/rotate")]
async fn rotate(
    state: State,
    req: HttpRequest,
    Permitted(VerifiedSession(session), _): Permitted<need::ManageKeys, VerifiedSession>,
    id: web::Path<i64>,
    body: Json<RotateKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let RotateKeyRequest {
        grace_seconds,
        password,
    } = body.into_inner();
    let grace = KeyGrace::parse(grace_seconds)?.get();
    session.confirm_identity(&state, &req, password).await?;
    let (user, org, id) = (session.caller.user, session.caller.org, id.into_inner());
    let (user_id, org_id, at) = (user.id, org.id, state.clock.now());
    let letterhead = state.mail.letterhead.clone();
    let rotation = state
        .db
        .write(move |conn| {
            let rotation = ApiKeyRow::rotate(conn, org_id, id, user_id, grace, at)?;
            if let Rotation::Rotated(key) = &rotation {
                queue_notice(conn, &letterhead, &user.email, key, &org)?;
            }
            Ok::<_, diesel::result::Error>(rotation)
        })
        .await?;
    let created = match rotation {
        Rotation::Rotated(created) => created,
        Rotation::NotFound => return Err(ApiError::NotFound("API key")),
        Rotation::AlreadyReplaced => {
            return Err(ApiError::Conflict(
                "this key was rotated already: rotate its replacement",
            ));
        }
    };
    state.mail.wake_sender();
    tracing::info!(
        user_id,
        org_id,
        key_id = id,
        new_key_id = created.id,
        grace_seconds,
        "API key rotated; notice queued"
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
