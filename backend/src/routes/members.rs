//! The members of an organisation: who they are, their roles, removing them (or leaving).

use actix_web::{HttpResponse, delete, get, patch, web};
use shared::dto::{ErrorBody, Member, Permission, UpdateMemberRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{OrgMember, Permitted, need},
    error::ApiError,
    http::json::Json,
    models::{Members, member::MemberChange},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_members)
        .service(update_member)
        .service(remove_member);
}

#[utoipa::path(
    get,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The organisation's members, owners first", body = Vec<Member>),
        OrgMember,
    )
)]
#[get("/orgs/{id}/members")]
async fn list_members(state: State, member: OrgMember) -> Result<web::Json<Vec<Member>>, ApiError> {
    let org_id = member.org_id();
    Ok(web::Json(
        state
            .db
            .read(move |conn| Members::list(conn, org_id))
            .await?,
    ))
}

/// Changes a member's role. Only owners make or unmake owners, and the last owner stays one.
#[utoipa::path(
    patch,
    tag = "organizations",
    params(
        ("id" = i64, Path, description = "The organisation's id"),
        ("user_id" = i64, Path, description = "The member's user id"),
    ),
    request_body = UpdateMemberRequest,
    responses(
        (status = 200, description = "The member with their new role; it applies to their next request", body = Member),
        Permitted<need::ManageMembers, OrgMember>,
        (status = 409, description = "conflict: the organisation's last owner", body = ErrorBody),
    )
)]
#[patch("/orgs/{id}/members/{user_id}")]
async fn update_member(
    state: State,
    Permitted(member, _): Permitted<need::ManageMembers, OrgMember>,
    path: web::Path<(i64, i64)>,
    body: Json<UpdateMemberRequest>,
) -> Result<web::Json<Member>, ApiError> {
    let (org_id, user_id) = path.into_inner();
    let (role, by) = (body.into_inner().role, member.role);
    let change = state
        .db
        .write(move |conn| Members::set_role(conn, org_id, user_id, role, by))
        .await?;
    let updated = outcome(change)?.ok_or(ApiError::NotFound("member"))?;
    tracing::info!(
        by = member.user_id(),
        org_id,
        user_id,
        ?role,
        "member role changed"
    );
    Ok(web::Json(updated))
}

/// Removes a member: anyone may leave; removing someone else takes `manage_members` (and an
/// owner to remove an owner). The last owner cannot go. Keys the member created keep working.
#[utoipa::path(
    delete,
    tag = "organizations",
    params(
        ("id" = i64, Path, description = "The organisation's id"),
        ("user_id" = i64, Path, description = "The member's user id (your own to leave)"),
    ),
    responses(
        (status = 204, description = "Removed: their sessions and tokens lose access at their next request"),
        OrgMember,
        (status = 409, description = "conflict: the organisation's last owner", body = ErrorBody),
    )
)]
#[delete("/orgs/{id}/members/{user_id}")]
async fn remove_member(
    state: State,
    member: OrgMember,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (org_id, user_id) = path.into_inner();
    let leaving = user_id == member.user_id();
    if !leaving {
        member.session.caller.require(Permission::ManageMembers)?;
    }
    let by = member.role;
    let change = state
        .db
        .write(move |conn| Members::remove(conn, org_id, user_id, by))
        .await?;
    outcome(change)?;
    tracing::info!(by = member.user_id(), org_id, user_id, "member removed");
    Ok(HttpResponse::NoContent().finish())
}

fn outcome(change: MemberChange) -> Result<Option<Member>, ApiError> {
    match change {
        MemberChange::Done(member) => Ok(member),
        MemberChange::NotFound => Err(ApiError::NotFound("member")),
        MemberChange::LastOwner => Err(ApiError::Conflict(
            "an organization keeps at least one owner: make someone else owner first",
        )),
        MemberChange::OwnersOnly => Err(ApiError::NotPermitted(Permission::OwnOrganization)),
    }
}
