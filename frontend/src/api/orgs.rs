//! Organisations: the ones the user belongs to, the one the session acts in (switching hands out
//! a new access token), their members and invitations. Credits and API keys belong to the
//! organisation the session acts in.

use shared::dto::{
    AcceptInvitationRequest, CreateInvitationRequest, CreateOrgRequest, Invitation, Member,
    OrgMembership, TokenResponse, UpdateMemberRequest, UpdateOrgRequest,
};

use super::{
    ApiError,
    client::{self, Auth::Session},
    me,
};
use crate::store;

/// The user's organisations with their role in each, the personal one first.
pub async fn orgs() -> Result<Vec<OrgMembership>, ApiError> {
    client::get("/api/orgs", Session).await
}

/// Acts in organisation `id` from now on: the answer is a new access token (the refresh cookie
/// stays, and later refreshes keep the organisation), stored as a refresh stores its own.
pub async fn switch_org(id: i64) -> Result<TokenResponse, ApiError> {
    let token: TokenResponse =
        client::post_empty(&format!("/api/orgs/{id}/switch"), Session).await?;
    store::signed_in(token.clone());
    Ok(token)
}

/// Creates an organisation (the user is its owner) and switches to it.
pub async fn create_org(request: &CreateOrgRequest) -> Result<OrgMembership, ApiError> {
    let created: OrgMembership = client::post("/api/orgs", request, Session).await?;
    switch_org(created.organization.id).await?;
    Ok(created)
}

pub async fn rename_org(id: i64, request: &UpdateOrgRequest) -> Result<OrgMembership, ApiError> {
    let renamed: OrgMembership =
        client::patch(&format!("/api/orgs/{id}"), request, Session).await?;
    store::renamed_organization(id, &renamed.organization.name);
    Ok(renamed)
}

/// Deletes an organisation (owners only; 409 for a personal one or one that still holds
/// credits). When the session acted in it, it acts in the user's personal organisation next.
pub async fn delete_org(id: i64) -> Result<(), ApiError> {
    let acting_in_it = acting_in(id);
    client::delete::<()>(&format!("/api/orgs/{id}"), Session).await?;
    if acting_in_it {
        switch_to_personal().await?;
    }
    Ok(())
}

pub async fn members(org_id: i64) -> Result<Vec<Member>, ApiError> {
    client::get(&format!("/api/orgs/{org_id}/members"), Session).await
}

/// Changes a member's role. When it is the user's own in the organisation the session acts in,
/// the profile is read again so the pages show what the new role allows.
pub async fn update_member(
    org_id: i64,
    user_id: i64,
    request: &UpdateMemberRequest,
) -> Result<Member, ApiError> {
    let member: Member = client::patch(
        &format!("/api/orgs/{org_id}/members/{user_id}"),
        request,
        Session,
    )
    .await?;
    if acting_in(org_id) && is_me(user_id) {
        me().await?;
    }
    Ok(member)
}

/// Removes a member. Removing oneself is leaving (409 for the last owner): leaving the
/// organisation the session acts in, it acts in the user's personal one next.
pub async fn remove_member(org_id: i64, user_id: i64) -> Result<(), ApiError> {
    let leaving = acting_in(org_id) && is_me(user_id);
    client::delete::<()>(&format!("/api/orgs/{org_id}/members/{user_id}"), Session).await?;
    if leaving {
        switch_to_personal().await?;
    }
    Ok(())
}

/// The pending invitations.
pub async fn invitations(org_id: i64) -> Result<Vec<Invitation>, ApiError> {
    client::get(&format!("/api/orgs/{org_id}/invitations"), Session).await
}

/// Invites an address with a role; the link goes to it by email.
pub async fn invite(
    org_id: i64,
    request: &CreateInvitationRequest,
) -> Result<Invitation, ApiError> {
    client::post(&format!("/api/orgs/{org_id}/invitations"), request, Session).await
}

pub async fn cancel_invitation(org_id: i64, invitation_id: i64) -> Result<(), ApiError> {
    client::delete(
        &format!("/api/orgs/{org_id}/invitations/{invitation_id}"),
        Session,
    )
    .await
}

/// Follows an invitation link (400 `invalid_token` when it is used, expired, cancelled or for
/// another address), then acts in the organisation just joined.
pub async fn accept_invitation(token: &str) -> Result<OrgMembership, ApiError> {
    let request = AcceptInvitationRequest {
        token: token.to_owned(),
    };
    let joined: OrgMembership = client::post("/api/invitations/accept", &request, Session).await?;
    switch_org(joined.organization.id).await?;
    Ok(joined)
}

/// Whether the session acts in organisation `id`.
fn acting_in(id: i64) -> bool {
    store::current()
        .user()
        .is_some_and(|u| u.organization.id == id)
}

fn is_me(user_id: i64) -> bool {
    store::current().user().is_some_and(|u| u.id == user_id)
}

/// After leaving or deleting the organisation the session acts in: back to the personal one.
async fn switch_to_personal() -> Result<(), ApiError> {
    let personal = orgs()
        .await?
        .into_iter()
        .find(|m| m.organization.personal)
        .ok_or_else(|| ApiError::unexpected("no personal organization"))?;
    switch_org(personal.organization.id).await?;
    Ok(())
}
