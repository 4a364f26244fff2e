//! Organisations: the caller's, new ones, renaming and deleting them, and switching the one a
//! browser session acts in.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use shared::{
    dto::{CreateOrgRequest, ErrorBody, OrgMembership, OrgRole, TokenResponse, UpdateOrgRequest},
    validate::OrgName,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::auth::access_token;
use crate::{
    auth::{BrowserSession, OrgMember, Permitted, need},
    error::ApiError,
    http::json::Json,
    models::{
        OrganizationRow, SessionRow,
        organization::{Deletion, Membership},
    },
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_orgs)
        .service(create_org)
        .service(get_org)
        .service(rename_org)
        .service(delete_org)
        .service(switch_org);
}

#[utoipa::path(
    get,
    tag = "organizations",
    responses(
        (status = 200, description = "The caller's organisations with their role in each: the personal one first", body = Vec<OrgMembership>),
        BrowserSession,
    )
)]
#[get("/orgs")]
async fn list_orgs(
    state: State,
    session: BrowserSession,
) -> Result<web::Json<Vec<OrgMembership>>, ApiError> {
    let user_id = session.caller.user.id;
    let memberships = state
        .db
        .read(move |conn| OrganizationRow::of_user(conn, user_id))
        .await?;
    Ok(web::Json(
        memberships.iter().map(Membership::to_dto).collect(),
    ))
}

#[utoipa::path(
    post,
    tag = "organizations",
    request_body = CreateOrgRequest,
    responses(
        (status = 201, description = "Created; the caller is its owner", body = OrgMembership),
        (status = 400, description = "validation_error: `name`", body = ErrorBody),
        BrowserSession,
    )
)]
#[post("/orgs")]
async fn create_org(
    state: State,
    session: BrowserSession,
    body: Json<CreateOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = OrgName::parse(&body.name)?.into_inner();
    let user_id = session.caller.user.id;
    let organization = state
        .db
        .write(move |conn| OrganizationRow::create_team(conn, &name, user_id))
        .await?;
    tracing::info!(user_id, org_id = organization.id, "organization created");
    Ok(HttpResponse::Created().json(OrgMembership {
        organization: organization.to_dto(),
        role: OrgRole::Owner,
    }))
}

#[utoipa::path(
    get,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The organisation and the caller's role in it", body = OrgMembership),
        OrgMember,
    )
)]
#[get("/orgs/{id}")]
async fn get_org(member: OrgMember) -> web::Json<OrgMembership> {
    web::Json(member.membership().to_dto())
}

#[utoipa::path(
    patch,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = UpdateOrgRequest,
    responses(
        (status = 200, description = "Renamed", body = OrgMembership),
        (status = 400, description = "validation_error: `name`", body = ErrorBody),
        Permitted<need::ManageOrganization, OrgMember>,
    )
)]
#[patch("/orgs/{id}")]
async fn rename_org(
    state: State,
    Permitted(member, _): Permitted<need::ManageOrganization, OrgMember>,
    body: Json<UpdateOrgRequest>,
) -> Result<web::Json<OrgMembership>, ApiError> {
    let name = OrgName::parse(&body.name)?.into_inner();
    let org_id = member.org_id();
    let renamed = state
        .db
        .write(move |conn| OrganizationRow::rename(conn, org_id, &name))
        .await?
        .ok_or(ApiError::NotFound("organization"))?;
    Ok(web::Json(OrgMembership {
        organization: renamed.to_dto(),
        role: member.role,
    }))
}

/// Deletes a team's organisation with its memberships, keys and ledger. Its credits must be
/// spent first (or taken back by a site admin): nothing paid for disappears with it.
#[utoipa::path(
    delete,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 204, description = "Deleted; its members' sessions fall back to their personal organisation"),
        Permitted<need::OwnOrganization, OrgMember>,
        (status = 409, description = "conflict: a personal organisation, or one that still holds credits", body = ErrorBody),
    )
)]
#[delete("/orgs/{id}")]
async fn delete_org(
    state: State,
    Permitted(member, _): Permitted<need::OwnOrganization, OrgMember>,
) -> Result<HttpResponse, ApiError> {
    let (org_id, user_id) = (member.org_id(), member.user_id());
    match state
        .db
        .write(move |conn| OrganizationRow::delete(conn, org_id))
        .await?
    {
        Deletion::Deleted => {
            tracing::info!(user_id, org_id, "organization deleted");
            Ok(HttpResponse::NoContent().finish())
        }
        Deletion::Personal => Err(ApiError::Conflict(
            "a personal organization lives as long as its account",
        )),
        Deletion::HasCredits => Err(ApiError::Conflict(
            "the organization still holds credits: spend them first",
        )),
    }
}

/// Makes the organisation the one this browser session acts in, now (the new access token) and
/// after every refresh.
#[utoipa::path(
    post,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "A new access token acting in the organisation; the refresh cookie is unchanged", body = TokenResponse),
        OrgMember,
    )
)]
#[post("/orgs/{id}/switch")]
async fn switch_org(state: State, member: OrgMember) -> Result<web::Json<TokenResponse>, ApiError> {
    let (session_id, org_id) = (member.session.session_id, member.org_id());
    state
        .db
        .write(move |conn| SessionRow::switch_organization(conn, session_id, org_id))
        .await?;
    Ok(web::Json(access_token(
        &state,
        &member.session.caller.user,
        session_id,
        member.session.auth_time,
        &member.membership(),
    )?))
}
