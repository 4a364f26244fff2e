//! `/api/orgs`: every account has a personal organisation it owns, and may create others.

use reqwest::StatusCode;
use shared::dto::{OrgMembership, OrgRole};

use crate::helpers::*;

both_backends!(
    every_account_owns_a_personal_organization,
    a_created_organization_is_the_creators_and_no_one_elses,
    bad_names_and_api_keys_are_refused,
    owners_rename_and_delete_a_team_once_its_credits_are_gone
);

async fn every_account_owns_a_personal_organization(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let orgs = app.orgs(user.bearer()).await;
    assert_eq!(orgs.len(), 1, "{orgs:?}");
    assert!(orgs[0].organization.personal);
    assert_eq!(orgs[0].role, OrgRole::Owner);
}

async fn a_created_organization_is_the_creators_and_no_one_elses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let founder = app.new_user().await;
    let stranger = app.new_browser().new_user().await;

    let created: OrgMembership = expect_json(
        app.try_create_org(founder.bearer(), "  Acme Robotics ")
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created.organization.name, "Acme Robotics");
    assert!(!created.organization.personal);
    assert_eq!(created.role, OrgRole::Owner);

    let orgs = app.orgs(founder.bearer()).await;
    assert_eq!(orgs.len(), 2);
    assert!(orgs[0].organization.personal, "the personal one first");
    assert_eq!(orgs[1], created);
    let theirs = app.orgs(stranger.bearer()).await;
    assert_eq!(theirs.len(), 1);
    assert_ne!(theirs[0].organization.id, created.organization.id);
}

async fn bad_names_and_api_keys_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    for bad in ["", "   ", &"n".repeat(101), "a\u{0}b"] {
        let response = app.try_create_org(user.bearer(), bad).await;
        expect_validation_error(response, "name").await;
    }
    let key = app.create_key(user.bearer(), "script").await;
    let by_key = app.try_create_org(Auth::Key(&key.key), "Acme").await;
    expect_error(by_key, StatusCode::FORBIDDEN, "forbidden").await;
    let list_by_key = app.try_orgs(Auth::Key(&key.key)).await;
    expect_error(list_by_key, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        app.orgs(user.bearer()).await.len(),
        1,
        "nothing was created"
    );
}

async fn owners_rename_and_delete_a_team_once_its_credits_are_gone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;

    let renamed: OrgMembership = expect_json(
        app.try_rename_org(owner.bearer(), team.id, " Acme Robotics ")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed.organization.name, "Acme Robotics");
    assert_eq!(app.org_name(owner.bearer(), team.id).await, "Acme Robotics");
    let bad = app.try_rename_org(owner.bearer(), team.id, " ").await;
    expect_validation_error(bad, "name").await;

    let personal = app.try_delete_org(owner.bearer(), owner.org_id).await;
    expect_error(personal, StatusCode::CONFLICT, "conflict").await;
    app.grant_by_task_to_org(team.id, 1).await;
    let with_credits = app.try_delete_org(owner.bearer(), team.id).await;
    expect_error(with_credits, StatusCode::CONFLICT, "conflict").await;

    // Spent: it goes, and a session acting in it falls back to the personal one.
    let in_team = app.switch_org(&owner, team.id).await;
    app.spend(in_team.bearer(), 1).await;
    let deleted = app.try_delete_org(owner.bearer(), team.id).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app.try_org(owner.bearer(), team.id).await;
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    let stale = app.try_me(in_team.bearer()).await;
    expect_error(stale, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.refresh().await.user.organization.id, owner.org_id);
}
