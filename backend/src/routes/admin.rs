//! The site admin's routes: list users and organisations with their balances, grant credits,
//! enable, disable and promote accounts.

use actix_web::{get, patch, post, web};
use shared::{
    dto::{
        Balance, ErrorBody, GrantCreditsRequest, OrgBalance, OrgRole, PageQuery, Role,
        UpdateUserRequest, User,
    },
    validate::{GrantAmount, GrantNote, PageLimit},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::Admin,
    error::ApiError,
    http::json::Json,
    models::{LedgerRow, OrganizationRow, UserRow, ledger::Granted},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(grant_credits)
        .service(update_user)
        .service(list_orgs_with_balances)
        .service(grant_org_credits);
}

/// Newest first; page with `before` = the last id seen.
#[utoipa::path(
    get,
    tag = "admin",
    params(PageQuery),
    responses(
        (status = 200, description = "Users, newest first, each with their personal organisation and its balance; pass the last id as `before` for the next page", body = Vec<User>),
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
        .read(move |conn| UserRow::list_with_personal(conn, limit, before))
        .await?;
    Ok(web::Json(
        users
            .iter()
            .map(|(user, personal)| user.to_dto(personal, Some(OrgRole::Owner)))
            .collect(),
    ))
}

/// Newest first; page with `before` = the last id seen.
#[utoipa::path(
    get,
    tag = "admin",
    params(PageQuery),
    responses(
        (status = 200, description = "Organisations with their balances and member counts, newest first; pass the last id as `before` for the next page", body = Vec<OrgBalance>),
        Admin,
    )
)]
#[get("/admin/orgs")]
async fn list_orgs_with_balances(
    state: State,
    _: Admin,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Vec<OrgBalance>>, ApiError> {
    let limit = PageLimit::parse(query.limit)?.get();
    let before = query.before;
    let organizations = state
        .db
        .read(move |conn| OrganizationRow::list_balances(conn, limit, before))
        .await?;
    Ok(web::Json(organizations))
}

/// Adds (or, negative, takes back) credits to the user's personal organisation, with a ledger
/// row naming the admin and their reason.
#[utoipa::path(
    post,
    tag = "admin",
    params(("id" = i64, Path, description = "The user's id")),
    request_body = GrantCreditsRequest,
    responses(
        (status = 200, description = "The new balance of the user's personal organisation", body = Balance),
        Admin,
        (status = 404, description = "not_found: no such user", body = ErrorBody),
    )
)]
#[post("/admin/users/{id}/credits")]
async fn grant_credits(
    state: State,
    admin: Admin,
    id: web::Path<i64>,
    body: Json<GrantCreditsRequest>,
) -> Result<web::Json<Balance>, ApiError> {
    grant(&state, &admin, Grantee::PersonalOf(id.into_inner()), body).await
}

/// Adds (or, negative, takes back) credits to an organisation, with a ledger row naming the
/// admin and their reason.
#[utoipa::path(
    post,
    tag = "admin",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = GrantCreditsRequest,
    responses(
        (status = 200, description = "The organisation's new balance", body = Balance),
        Admin,
        (status = 404, description = "not_found: no such organization", body = ErrorBody),
    )
)]
#[post("/admin/orgs/{id}/credits")]
async fn grant_org_credits(
    state: State,
    admin: Admin,
    id: web::Path<i64>,
    body: Json<GrantCreditsRequest>,
) -> Result<web::Json<Balance>, ApiError> {
    grant(&state, &admin, Grantee::Organization(id.into_inner()), body).await
}

/// Whose balance a grant moves.
#[derive(Clone, Copy)]
enum Grantee {
    PersonalOf(i64),
    Organization(i64),
}

async fn grant(
    state: &State,
    admin: &Admin,
    grantee: Grantee,
    body: Json<GrantCreditsRequest>,
) -> Result<web::Json<Balance>, ApiError> {
    let GrantCreditsRequest { amount, reason } = body.into_inner();
    let (amount, note) = (GrantAmount::parse(amount)?, GrantNote::parse(&reason)?);
    let admin_id = admin.0.caller.user.id;
    let granted = state
        .db
        .write(move |conn| {
            let org_id = match grantee {
                Grantee::Organization(id) => Some(id),
                Grantee::PersonalOf(user_id) => {
                    OrganizationRow::personal_of(conn, user_id)?.map(|org| org.id)
                }
            };
            match org_id {
                Some(org_id) => LedgerRow::grant(conn, org_id, Some(admin_id), amount, note),
                None => Ok(Granted::NoSuchOrganization),
            }
        })
        .await?;
    match granted {
        Granted::Applied { balance } => Ok(web::Json(Balance { credits: balance })),
        Granted::NoSuchOrganization => Err(ApiError::NotFound(match grantee {
            Grantee::PersonalOf(_) => "user",
            Grantee::Organization(_) => "organization",
        })),
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
    let (user, personal) = state
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
    Ok(web::Json(user.to_dto(&personal, Some(OrgRole::Owner))))
}
