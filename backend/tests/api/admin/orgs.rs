//! The organisation list and granting credits to an organisation.

use reqwest::StatusCode;
use shared::dto::{Balance, LedgerKind, OrgBalance, OrgRole};

use crate::helpers::*;

both_backends!(
    admins_list_organisations_with_balance_members_and_owner,
    admin_grants_to_an_organisation_reach_its_members_wallet,
);

async fn admins_list_organisations_with_balance_members_and_owner(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let admin = app.new_admin().await;
    let owner = app.new_browser().new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    app.new_member(&owner, team.id, OrgRole::Developer).await;
    expect_json::<Balance>(
        app.try_admin_grant_org(admin.bearer(), team.id, 30, "pilot")
            .await,
        StatusCode::OK,
    )
    .await;

    let all: Vec<OrgBalance> =
        expect_json(app.try_admin_orgs(admin.bearer(), "").await, StatusCode::OK).await;
    let ids: Vec<i64> = all.iter().map(|o| o.organization.id).collect();
    let mut newest_first = ids.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, newest_first);
    // The admin's, the owner's and the member's personal organisations, and the team.
    assert_eq!(all.len(), 4);
    let find = |id: i64| {
        all.iter()
            .find(|o| o.organization.id == id)
            .unwrap_or_else(|| panic!("organisation {id} missing"))
    };
    let listed = find(team.id);
    assert_eq!(
        (
            listed.organization.name.as_str(),
            listed.organization.personal,
            listed.credits,
            listed.members,
            listed.owner_email.as_deref()
        ),
        ("Acme", false, 30, 2, Some(owner.email.as_str()))
    );
    let personal = find(owner.org_id);
    assert_eq!(
        (
            personal.organization.personal,
            personal.credits,
            personal.members,
            personal.owner_email.as_deref()
        ),
        (true, 0, 1, Some(owner.email.as_str()))
    );

    // One at a time, each page follows the last id seen: the same list.
    let mut paged = Vec::new();
    loop {
        let query = match paged.last() {
            Some(last) => format!("?limit=1&before={last}"),
            None => "?limit=1".to_owned(),
        };
        let page: Vec<OrgBalance> = expect_json(
            app.try_admin_orgs(admin.bearer(), &query).await,
            StatusCode::OK,
        )
        .await;
        assert!(page.len() <= 1, "limit=1 answered {} rows", page.len());
        match page.first() {
            Some(org) => paged.push(org.organization.id),
            None => break,
        }
    }
    assert_eq!(paged, ids);
}

async fn admin_grants_to_an_organisation_reach_its_members_wallet(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let admin = app.new_admin().await;
    let owner = app.new_browser().new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let (_, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;

    let granted: Balance = expect_json(
        app.try_admin_grant_org(admin.bearer(), team.id, 30, "pilot")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(granted.credits, 30);

    // The team's members see it; the owner's personal wallet is untouched.
    assert_eq!(app.balance(developer.bearer()).await, 30);
    assert_eq!(app.balance(owner.bearer()).await, 0);
    let ledger = app.ledger(developer.bearer()).await;
    assert_eq!(
        ledger
            .iter()
            .map(|e| (e.delta, e.kind.clone()))
            .collect::<Vec<_>>(),
        vec![(
            30,
            LedgerKind::Grant {
                note: "pilot".into()
            }
        )]
    );

    // Taking back more than it holds, or granting to no organisation, changes nothing.
    let overdraft = app
        .try_admin_grant_org(admin.bearer(), team.id, -31, "too much")
        .await;
    expect_error(overdraft, StatusCode::BAD_REQUEST, "validation_error").await;
    let unknown = app
        .try_admin_grant_org(admin.bearer(), 987_654, 5, "ghost")
        .await;
    expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.balance(developer.bearer()).await, 30);
    assert_ledger_consistent(&app, developer.bearer()).await;
}
