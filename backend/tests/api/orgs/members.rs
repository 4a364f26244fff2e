//! Members: roles change, members leave or are removed, and an organisation always keeps an
//! owner. A change applies to the member's very next request; keys outlive their creator's
//! membership.

use reqwest::StatusCode;
use shared::dto::{Member, OrgRole};

use crate::helpers::*;

both_backends!(
    roles_change_but_an_organization_keeps_an_owner,
    a_removed_member_loses_access_at_once_and_their_keys_keep_working,
    members_may_leave_but_not_remove_others_without_the_role
);

async fn roles_change_but_an_organization_keeps_an_owner(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    let (_, admin) = app.new_member(&owner, team.id, OrgRole::Admin).await;
    let (_, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;

    let listed = app.members(developer.bearer(), team.id).await;
    let roles: Vec<(i64, OrgRole)> = listed.iter().map(|m| (m.user_id, m.role)).collect();
    assert_eq!(
        roles,
        vec![
            (owner.id, OrgRole::Owner),
            (admin.id, OrgRole::Admin),
            (developer.id, OrgRole::Developer)
        ]
    );

    // An admin manages members, but only owners make or unmake owners.
    let changed: Member = expect_json(
        app.try_set_member_role(admin.bearer(), team.id, developer.id, OrgRole::Billing)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed.role, OrgRole::Billing);
    let billing = app.me(developer.bearer()).await;
    assert_eq!(
        billing.organization.role,
        Some(OrgRole::Billing),
        "at the next request"
    );
    for (target, role) in [(developer.id, OrgRole::Owner), (owner.id, OrgRole::Admin)] {
        let refused = app
            .try_set_member_role(admin.bearer(), team.id, target, role)
            .await;
        expect_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    }

    // The last owner can be neither demoted nor removed, by anyone.
    let demote = app
        .try_set_member_role(owner.bearer(), team.id, owner.id, OrgRole::Admin)
        .await;
    expect_error(demote, StatusCode::CONFLICT, "conflict").await;
    let leave = app
        .try_remove_member(owner.bearer(), team.id, owner.id)
        .await;
    expect_error(leave, StatusCode::CONFLICT, "conflict").await;

    // With a second owner, the first may step down.
    app.try_set_member_role(owner.bearer(), team.id, admin.id, OrgRole::Owner)
        .await
        .error_for_status()
        .expect("an owner makes another owner");
    let stepped_down: Member = expect_json(
        app.try_set_member_role(owner.bearer(), team.id, owner.id, OrgRole::Admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stepped_down.role, OrgRole::Admin);
    let no_such = app
        .try_set_member_role(admin.bearer(), team.id, 999_999, OrgRole::Billing)
        .await;
    expect_error(no_such, StatusCode::NOT_FOUND, "not_found").await;
}

async fn a_removed_member_loses_access_at_once_and_their_keys_keep_working(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    app.grant_by_task_to_org(team.id, 10).await;
    let (browser, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;
    let key = browser.create_key(developer.bearer(), "deploy bot").await;
    browser.spend(developer.bearer(), 1).await;

    let removed = app
        .try_remove_member(owner.bearer(), team.id, developer.id)
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    // The token that acted in the team stops at once; a refresh lands in their personal one.
    let refused = browser.try_generate(developer.bearer(), "more").await;
    expect_error(refused, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let refreshed = browser.refresh().await;
    assert_ne!(refreshed.user.organization.id, team.id);
    assert!(refreshed.user.organization.personal);
    let gone = browser
        .try_members(Auth::Bearer(&refreshed.access_token), team.id)
        .await;
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;

    // The key they made is the team's: it keeps spending the team's credits.
    app.spend(Auth::Key(&key.key), 1).await;
    assert_eq!(app.balance(owner.bearer()).await, 8);
    assert_eq!(
        app.keys(owner.bearer()).await.len(),
        1,
        "the owner sees it, to revoke it"
    );
    assert_ledger_consistent(&app, owner.bearer()).await;
}

async fn members_may_leave_but_not_remove_others_without_the_role(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    let (_, billing) = app.new_member(&owner, team.id, OrgRole::Billing).await;
    let (_, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;

    let refused = app
        .try_remove_member(developer.bearer(), team.id, billing.id)
        .await;
    expect_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    let left = app
        .try_remove_member(developer.bearer(), team.id, developer.id)
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let members: Vec<i64> = app
        .members(owner.bearer(), team.id)
        .await
        .iter()
        .map(|m| m.user_id)
        .collect();
    assert_eq!(members, vec![owner.id, billing.id]);
}
