//! The admin's routes: list users, grant credits, enable, disable and promote accounts.

use actix_web::{get, patch, post, web};
use shared::{
    dto::{Balance, ErrorBody, GrantCreditsRequest, PageQuery, Role, UpdateUserRequest, User},
    validate::{GrantAmount, GrantNote, PageLimit},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::Admin,
    error::ApiError,
    http::json::Json,
    models::{LedgerRow, UserRow, ledger::Granted},
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
    params(PageQuery),
    responses(
        (status = 200, description = "Users, newest first; pass the last id as `before` for the next page", body = Vec<User>),
        Admin,
    )
)]
#[get("/admin/users")]
async fn list_users(
    state: State,
    _: Admin,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Vec<User>>, ApiError> {
    let limit = PageLimit::parse(query.limit)?.get();
    let before = query.before;
    let users = state
        .db
        .read(move |conn| UserRow::list(conn, limit, before))
        .await?;
    Ok(web::Json(users.iter().map(UserRow::to_dto).collect()))
}

/// Adds (or, negative, takes back) credits, with a ledger row naming the admin's reason.
#[utoipa::path(
    post,
    tag = "admin",
    params(("id" = i64, Path, description = "The user's id")),
    request_body = GrantCreditsRequest,
    responses(
        (status = 200, description = "The user's new balance", body = Balance),
        Admin,
        (status = 404, description = "not_found: no such user", body = ErrorBody),
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
    let (amount, note) = (GrantAmount::parse(amount)?, GrantNote::parse(&reason)?);
    let user_id = id.into_inner();
    let granted = state
        .db
        .write(move |conn| LedgerRow::grant(conn, user_id, amount, note))
        .await?;
    match granted {
        Granted::Applied { balance } => Ok(web::Json(Balance { credits: balance })),
        Granted::NoSuchUser => Err(ApiError::NotFound("user")),
        Granted::WouldGoNegative => Err(ApiError::validation(
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
    responses(
        (status = 200, description = "The updated user; disabling revokes their sessions and tokens at once", body = User),
        Admin,
        (status = 404, description = "not_found: no such user", body = ErrorBody),
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
        .write(move |conn| UserRow::update_by_admin(conn, user_id, is_active, role))
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    tracing::info!(
        admin_id = admin.0.caller.user.id,
        user_id,
        ?is_active,
        ?role,
        "user updated"
    );
    Ok(web::Json(user.to_dto()))
}
