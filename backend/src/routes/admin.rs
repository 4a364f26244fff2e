use actix_web::{get, patch, post, web};
use shared::dto::{
    Balance, ErrorBody, GRANT_MAX_ABS, GrantCreditsRequest, REASON_MAX_LEN, Role,
    UpdateUserRequest, User, UserListQuery,
};
use shared::validate::page_limit;
use utoipa_actix_web::service_config::ServiceConfig;

use super::responses::{BadBody, Limited, NeedsSession};
use crate::{
    auth::Admin,
    error::ApiError,
    http::json::Json,
    models::{LedgerRow, SessionRow, UserRow, ledger::Posted},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(grant_credits)
        .service(update_user);
}

/// Newest first; page with `before` = the last id seen.
#[utoipa::path(
    get,
    tag = "admin",
    params(UserListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Users, newest first; pass the last id as `before` for the next page", body = Vec<User>),
        (status = 400, description = "validation_error or bad_request", body = ErrorBody),
        NeedsSession,
        Limited,
    )
)]
#[get("/admin/users")]
async fn list_users(
    state: State,
    _: Admin,
    query: web::Query<UserListQuery>,
) -> Result<web::Json<Vec<User>>, ApiError> {
    let limit = page_limit(query.limit)?;
    let before = query.before;
    let users = state
        .db
        .read(move |conn| Ok(UserRow::list(conn, limit, before)?))
        .await?;
    Ok(web::Json(users.iter().map(UserRow::to_dto).collect()))
}

/// Adds (or, negative, takes back) credits, with a ledger row naming the admin's reason.
#[utoipa::path(
    post,
    tag = "admin",
    params(("id" = i64, Path, description = "The user's id")),
    request_body = GrantCreditsRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user's new balance", body = Balance),
        BadBody,
        NeedsSession,
        (status = 404, description = "not_found: no such user", body = ErrorBody),
        Limited,
    )
)]
#[post("/admin/users/{id}/credits")]
async fn grant_credits(
    state: State,
    _: Admin,
    id: web::Path<i64>,
    body: Json<GrantCreditsRequest>,
) -> Result<web::Json<Balance>, ApiError> {
    let GrantCreditsRequest { amount, reason } = body.into_inner();
    if amount == 0 || amount.unsigned_abs() > GRANT_MAX_ABS.unsigned_abs() {
        return Err(ApiError::validation(
            "amount",
            format!("amount must be non-zero and at most {GRANT_MAX_ABS} either way"),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX_LEN {
        return Err(ApiError::validation(
            "reason",
            format!("reason must be 1 to {REASON_MAX_LEN} characters"),
        ));
    }
    let (user_id, reason) = (id.into_inner(), format!("admin: {reason}"));
    let posted = state
        .db
        .write(move |conn| {
            UserRow::find(conn, user_id)?.ok_or(ApiError::NotFound("user"))?;
            LedgerRow::post(conn, user_id, amount, &reason, None)
        })
        .await?;
    match posted {
        Posted::Applied { balance, .. } => Ok(web::Json(Balance { credits: balance })),
        Posted::Insufficient | Posted::Duplicate => Err(ApiError::validation(
            "amount",
            "that would make the balance negative",
        )),
    }
}

/// Enables/disables an account or changes its role. Disabling kills the user's sessions and
/// access tokens at once.
#[utoipa::path(
    patch,
    tag = "admin",
    params(("id" = i64, Path, description = "The user's id")),
    request_body = UpdateUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated user; disabling revokes their sessions and tokens at once", body = User),
        BadBody,
        NeedsSession,
        (status = 404, description = "not_found: no such user", body = ErrorBody),
        Limited,
    )
)]
#[patch("/admin/users/{id}")]
async fn update_user(
    state: State,
    admin: Admin,
    id: web::Path<i64>,
    body: Json<UpdateUserRequest>,
) -> Result<web::Json<User>, ApiError> {
    let UpdateUserRequest { is_active, role } = body.into_inner();
    let user_id = id.into_inner();
    if user_id == admin.0.caller.user.id && (is_active == Some(false) || role == Some(Role::User)) {
        return Err(ApiError::validation(
            "id",
            "you cannot disable or demote yourself",
        ));
    }
    let user = state
        .db
        .write(move |conn| {
            UserRow::find(conn, user_id)?.ok_or(ApiError::NotFound("user"))?;
            if let Some(active) = is_active {
                UserRow::set_active(conn, user_id, active)?;
                if !active {
                    SessionRow::revoke_all_for_user(conn, user_id, None)?;
                    UserRow::revoke_access_tokens(conn, user_id)?;
                }
            }
            if let Some(role) = role {
                UserRow::set_role(conn, user_id, role)?;
            }
            UserRow::find(conn, user_id)?.ok_or(ApiError::NotFound("user"))
        })
        .await?;
    tracing::info!(
        admin_id = admin.0.caller.user.id,
        user_id,
        ?is_active,
        ?role,
        "user updated"
    );
    Ok(web::Json(user.to_dto()))
}
