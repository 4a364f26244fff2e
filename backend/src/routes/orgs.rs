//! Organisations: the caller's, and new ones. (Members, invitations and organisations owning
//! credits and keys come next: issue 15.)

use actix_web::{HttpResponse, get, post, web};
use shared::{
    dto::{CreateOrgRequest, ErrorBody, OrgMembership, OrgRole},
    validate::OrgName,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::BrowserSession, error::ApiError, http::json::Json, models::OrganizationRow, state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_orgs).service(create_org);
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
    let organizations = state
        .db
        .read(move |conn| OrganizationRow::of_user(conn, user_id))
        .await?;
    Ok(web::Json(organizations))
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
