//! Invitations: an emailed, single-use link valid seven days that joins the invited address to
//! the organisation with the invited role, and nothing else.

use backend::db::schema::invitations;
use diesel::prelude::*;
use reqwest::StatusCode;
use shared::dto::{Invitation, OrgMembership, OrgRole};

use crate::helpers::*;

both_backends!(
    a_teammate_signs_up_through_the_link_and_joins,
    a_link_works_once_for_its_own_address_while_pending,
    inviting_is_for_verified_members_who_manage_members
);

async fn a_teammate_signs_up_through_the_link_and_joins(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let teammate_email = unique_email();

    let invitation = app
        .invite(owner.bearer(), team.id, &teammate_email, OrgRole::Developer)
        .await;
    assert_eq!(
        (invitation.email.as_str(), invitation.role),
        (teammate_email.as_str(), OrgRole::Developer)
    );
    assert_eq!(invitation.invited_by.as_deref(), Some(owner.email.as_str()));
    let days = (invitation.expires_at - invitation.created_at).num_days();
    assert_eq!(days, 7);
    let email = app
        .mailbox()
        .wait_for_nth(&teammate_email, INVITATION_SUBJECT, 1)
        .await;
    assert!(email.subject.contains("Acme"), "{}", email.subject);
    assert!(email.text.contains("developer"), "{}", email.text);
    let token = email.token_for("invite");

    // A new user signs up with the invited address and follows the link.
    let browser = app.new_browser();
    let teammate = TestUser::new(
        &teammate_email,
        browser.signup(&teammate_email, PASSWORD).await,
    );
    let joined: OrgMembership = expect_json(
        browser
            .try_accept_invitation(teammate.bearer(), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (joined.organization.id, joined.role),
        (team.id, OrgRole::Developer)
    );
    let me = browser.me(teammate.bearer()).await;
    assert!(me.email_verified, "the link proved the address");
    let orgs = browser.orgs(teammate.bearer()).await;
    assert_eq!(orgs.len(), 2);
    let pending: Vec<Invitation> = expect_json(
        app.try_invitations(owner.bearer(), team.id).await,
        StatusCode::OK,
    )
    .await;
    assert!(pending.is_empty(), "accepted is no longer pending");
}

async fn a_link_works_once_for_its_own_address_while_pending(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let browser = app.new_browser();
    let invitee = browser.new_user().await;
    let stranger = app.new_browser().new_user().await;

    // Another address cannot use it.
    let first = app
        .invite(owner.bearer(), team.id, &invitee.email, OrgRole::Billing)
        .await;
    let token = app.invitation_token(&invitee.email, 1).await;
    let other = app.try_accept_invitation(stranger.bearer(), &token).await;
    expect_error(other, StatusCode::FORBIDDEN, "forbidden").await;

    // Cancelled: refused.
    let cancelled = app
        .try_cancel_invitation(owner.bearer(), team.id, first.id)
        .await;
    assert_eq!(cancelled.status(), StatusCode::NO_CONTENT);
    let refused = browser
        .try_accept_invitation(invitee.bearer(), &token)
        .await;
    expect_error(refused, StatusCode::BAD_REQUEST, "invalid_token").await;

    // Expired: refused.
    let second = app
        .invite(owner.bearer(), team.id, &invitee.email, OrgRole::Billing)
        .await;
    let token = app.invitation_token(&invitee.email, 2).await;
    diesel::update(invitations::table.find(second.id))
        .set(invitations::expires_at.eq(backend::models::now() - chrono::TimeDelta::seconds(1)))
        .execute(&mut app.connect_to_database())
        .expect("the invitation expired");
    let expired = browser
        .try_accept_invitation(invitee.bearer(), &token)
        .await;
    expect_error(expired, StatusCode::BAD_REQUEST, "invalid_token").await;

    // Inviting again replaces the earlier link; the new one works once.
    app.invite(owner.bearer(), team.id, &invitee.email, OrgRole::Billing)
        .await;
    let replaced = app.invitation_token(&invitee.email, 3).await;
    app.invite(owner.bearer(), team.id, &invitee.email, OrgRole::Admin)
        .await;
    let token = app.invitation_token(&invitee.email, 4).await;
    let superseded = browser
        .try_accept_invitation(invitee.bearer(), &replaced)
        .await;
    expect_error(superseded, StatusCode::BAD_REQUEST, "invalid_token").await;
    let joined: OrgMembership = expect_json(
        browser
            .try_accept_invitation(invitee.bearer(), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(joined.role, OrgRole::Admin);
    let twice = browser
        .try_accept_invitation(invitee.bearer(), &token)
        .await;
    expect_error(twice, StatusCode::BAD_REQUEST, "invalid_token").await;

    // A member is not invited again.
    let again = app
        .try_invite(owner.bearer(), team.id, &invitee.email, OrgRole::Billing)
        .await;
    expect_error(again, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(app.members(owner.bearer(), team.id).await.len(), 2);
}

async fn inviting_is_for_verified_members_who_manage_members(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[("REQUIRE_VERIFIED_EMAIL", "true")]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let unverified = app
        .try_invite(owner.bearer(), team.id, &unique_email(), OrgRole::Developer)
        .await;
    expect_error(unverified, StatusCode::FORBIDDEN, "email_not_verified").await;
    let token = app.verification_token(&owner.email).await;
    app.try_verify_email(&token)
        .await
        .error_for_status()
        .expect("verified");

    let bad = app
        .try_invite(owner.bearer(), team.id, "not an email", OrgRole::Developer)
        .await;
    expect_validation_error(bad, "email").await;
    let owner = app.switch_org(&owner, team.id).await;
    let (_, admin) = app.new_member(&owner, team.id, OrgRole::Admin).await;
    let (_, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;
    let by_developer = app
        .try_invite(
            developer.bearer(),
            team.id,
            &unique_email(),
            OrgRole::Developer,
        )
        .await;
    expect_error(by_developer, StatusCode::FORBIDDEN, "forbidden").await;
    let owner_by_admin = app
        .try_invite(admin.bearer(), team.id, &unique_email(), OrgRole::Owner)
        .await;
    expect_error(owner_by_admin, StatusCode::FORBIDDEN, "forbidden").await;
    let listed = app.try_invitations(developer.bearer(), team.id).await;
    expect_error(listed, StatusCode::FORBIDDEN, "forbidden").await;
}
