//! Invitations: a member who manages members invites an email address with a role; the
//! invitee follows the emailed link (`/invite?token=`) and, signed in with that address, joins.

use actix_web::{HttpResponse, delete, get, post, web};
use shared::{
    dto::{
        AcceptInvitationRequest, CreateInvitationRequest, ErrorBody, Invitation, OrgMembership,
        OrgRole, Permission,
    },
    validate::Email,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{BrowserSession, OrgMember, Permitted, need},
    error::ApiError,
    http::json::Json,
    mail::{Message, queue},
    models::{InvitationRow, Members, OrganizationRow, UserRow, invitation::INVITATION_LIFETIME},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(invite)
        .service(list_invitations)
        .service(cancel_invitation)
        .service(accept_invitation);
}

/// What inviting came to.
enum Invited {
    Sent(Invitation),
    AlreadyMember,
    TooMany,
}

/// Emails `email` a link (valid 7 days) that joins the organisation as `role`. Inviting the same
/// address again replaces the earlier link.
#[utoipa::path(
    post,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = CreateInvitationRequest,
    responses(
        (status = 201, description = "Invited: the email with the link is queued", body = Invitation),
        Permitted<need::ManageMembers, OrgMember>,
        (status = 409, description = "conflict: already a member, or the organisation has too many pending invitations (`MAX_PENDING`, 50)", body = ErrorBody),
    )
)]
#[post("/orgs/{id}/invitations")]
async fn invite(
    state: State,
    Permitted(member, _): Permitted<need::ManageMembers, OrgMember>,
    body: Json<CreateInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let CreateInvitationRequest { email, role } = body.into_inner();
    let email = Email::parse(&email)?.into_inner();
    if role == OrgRole::Owner {
        member.session.caller.require(Permission::OwnOrganization)?;
    }
    let inviter = member.session.caller.user.clone();
    if state.mail.require_verified_email && inviter.email_verified_at.is_none() {
        return Err(ApiError::EmailNotVerified);
    }
    let organization = member.session.caller.org.clone();
    let letterhead = state.mail.letterhead.clone();
    let invited = state
        .db
        .write(move |conn| {
            OrganizationRow::lock(conn, organization.id)?;
            if Members::has_email(conn, organization.id, &email)? {
                return Ok(Invited::AlreadyMember);
            }
            let Some(issued) =
                InvitationRow::issue(conn, organization.id, &email, role, inviter.id)?
            else {
                return Ok(Invited::TooMany);
            };
            let message = Message::Invitation {
                organization: &organization.name,
                inviter: &inviter.email,
                role: role.as_str(),
                token: &issued.token,
                valid_for: INVITATION_LIFETIME,
            };
            queue(conn, &letterhead, &email, message)?;
            Ok::<_, diesel::result::Error>(Invited::Sent(issued.invitation))
        })
        .await?;
    match invited {
        Invited::Sent(invitation) => {
            state.mail.wake_sender();
            tracing::info!(
                by = member.user_id(),
                org_id = member.org_id(),
                invitation_id = invitation.id,
                "invitation queued"
            );
            Ok(HttpResponse::Created().json(invitation))
        }
        Invited::AlreadyMember => Err(ApiError::Conflict(
            "someone with this email is already a member",
        )),
        Invited::TooMany => Err(ApiError::Conflict(
            "the organization has too many pending invitations: cancel some first",
        )),
    }
}

#[utoipa::path(
    get,
    tag = "organizations",
    params(("id" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "Pending invitations, newest first", body = Vec<Invitation>),
        Permitted<need::ManageMembers, OrgMember>,
    )
)]
#[get("/orgs/{id}/invitations")]
async fn list_invitations(
    state: State,
    Permitted(member, _): Permitted<need::ManageMembers, OrgMember>,
) -> Result<web::Json<Vec<Invitation>>, ApiError> {
    let org_id = member.org_id();
    Ok(web::Json(
        state
            .db
            .read(move |conn| InvitationRow::pending(conn, org_id))
            .await?,
    ))
}

#[utoipa::path(
    delete,
    tag = "organizations",
    params(
        ("id" = i64, Path, description = "The organisation's id"),
        ("invitation_id" = i64, Path, description = "The invitation's id"),
    ),
    responses(
        (status = 204, description = "Cancelled: its link no longer works"),
        Permitted<need::ManageMembers, OrgMember>,
        (status = 404, description = "not_found: no such pending invitation", body = ErrorBody),
    )
)]
#[delete("/orgs/{id}/invitations/{invitation_id}")]
async fn cancel_invitation(
    state: State,
    Permitted(member, _): Permitted<need::ManageMembers, OrgMember>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (org_id, id) = (member.org_id(), path.into_inner().1);
    if !state
        .db
        .write(move |conn| InvitationRow::cancel(conn, org_id, id))
        .await?
    {
        return Err(ApiError::NotFound("invitation"));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// What accepting came to.
enum Accepted {
    Joined(OrgMembership),
    /// Unknown, used, cancelled or expired.
    Invalid,
    OtherEmail,
}

/// Joins the invitation's organisation with its role. The signed-in account's email must be the
/// invited one; following the link proves the address, so an unverified one becomes verified.
#[utoipa::path(
    post,
    tag = "organizations",
    request_body = AcceptInvitationRequest,
    responses(
        (status = 200, description = "Joined (or already a member: the role is unchanged); switch to it to act in it", body = OrgMembership),
        (status = 400, description = "invalid_token: unknown, used, cancelled or expired", body = ErrorBody),
        BrowserSession,
    )
)]
#[post("/invitations/accept")]
async fn accept_invitation(
    state: State,
    session: BrowserSession,
    body: Json<AcceptInvitationRequest>,
) -> Result<web::Json<OrgMembership>, ApiError> {
    let token = body.into_inner().token;
    let user = session.caller.user;
    let user_id = user.id;
    let accepted = state
        .db
        .write(move |conn| {
            let Some(invitation) = InvitationRow::find_pending(conn, &token)? else {
                return Ok(Accepted::Invalid);
            };
            if invitation.email != user.email {
                return Ok(Accepted::OtherEmail);
            }
            let Some(role) = invitation.role() else {
                return Ok(Accepted::Invalid);
            };
            if !InvitationRow::accept(conn, invitation.id)? {
                return Ok(Accepted::Invalid);
            }
            UserRow::mark_email_verified(conn, user.id)?;
            Members::add(conn, invitation.organization_id, user.id, role)?;
            Ok::<_, diesel::result::Error>(
                match OrganizationRow::membership(conn, invitation.organization_id, user.id)? {
                    Some(membership) => Accepted::Joined(membership.to_dto()),
                    None => Accepted::Invalid,
                },
            )
        })
        .await?;
    match accepted {
        Accepted::Joined(membership) => {
            tracing::info!(
                user_id,
                org_id = membership.organization.id,
                "invitation accepted"
            );
            Ok(web::Json(membership))
        }
        Accepted::Invalid => Err(ApiError::InvalidToken),
        Accepted::OtherEmail => Err(ApiError::Forbidden(
            "this invitation was sent to another email address: sign in with that one",
        )),
    }
}
