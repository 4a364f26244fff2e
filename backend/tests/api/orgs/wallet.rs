//! One wallet per organisation: balances, purchases, spending, the ledger and keys follow the
//! organisation a caller acts in, and a switch moves all of them at once.

use reqwest::StatusCode;
use shared::dto::{OrgRole, TokenResponse};

use crate::helpers::*;

both_backends!(
    switching_moves_every_credit_route_to_the_team_wallet,
    the_switch_survives_a_refresh_and_a_foreign_org_is_not_found,
    a_key_acts_for_the_organization_it_was_made_in,
    members_spend_one_shared_balance_exactly_once
);

async fn switching_moves_every_credit_route_to_the_team_wallet(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(5).await;
    let team = app.create_org(user.bearer(), "Acme").await.organization;

    let in_team = app.switch_org(&user, team.id).await;
    let me = app.me(in_team.bearer()).await;
    assert_eq!(
        (me.organization.id, me.organization.name.as_str()),
        (team.id, "Acme")
    );
    assert_eq!(me.organization.role, Some(OrgRole::Owner));
    assert_eq!(me.credits, 0, "a new team starts empty");
    assert_eq!(app.balance(in_team.bearer()).await, 0);
    assert!(app.ledger(in_team.bearer()).await.is_empty());
    let refused = app.try_generate(in_team.bearer(), "hello").await;
    expect_error(
        refused,
        StatusCode::PAYMENT_REQUIRED,
        "insufficient_credits",
    )
    .await;

    // Dev payments credit the team, and its calls spend the team's credits.
    let bought = app.buy(in_team.bearer(), "starter").await;
    assert!(bought > 0);
    app.spend(in_team.bearer(), 2).await;
    assert_eq!(app.balance(in_team.bearer()).await, bought - 2);
    assert_eq!(app.ledger(in_team.bearer()).await.len(), 3);
    assert_ledger_consistent(&app, in_team.bearer()).await;

    // The personal wallet did not move, and the old token still acts in it.
    assert_eq!(app.balance(user.bearer()).await, 5);
    assert_eq!(app.ledger(user.bearer()).await.len(), 1);
    let usage_team = app.try_usage(in_team.bearer(), "days=1").await;
    let days: Vec<shared::dto::UsageDay> = expect_json(usage_team, StatusCode::OK).await;
    assert_eq!((days[0].spent, days[0].purchased), (2, bought));
}

async fn the_switch_survives_a_refresh_and_a_foreign_org_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let team = app.create_org(user.bearer(), "Acme").await.organization;
    app.switch_org(&user, team.id).await;

    let refreshed = app.refresh().await;
    assert_eq!(
        refreshed.user.organization.id, team.id,
        "the switch is kept"
    );

    let stranger_browser = app.new_browser();
    let stranger = stranger_browser.new_user().await;
    for org in [team.id, user.org_id, team.id + 1000] {
        let response = stranger_browser
            .try_switch_org(stranger.bearer(), org)
            .await;
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let again: TokenResponse = stranger_browser.refresh().await;
    assert_eq!(again.user.organization.id, stranger.org_id);
    assert!(again.user.organization.personal);

    let key = app.create_key(user.bearer(), "script").await;
    let by_key = app.try_switch_org(Auth::Key(&key.key), team.id).await;
    expect_error(by_key, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn a_key_acts_for_the_organization_it_was_made_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(3).await;
    let team = app.create_org(user.bearer(), "Acme").await.organization;
    let in_team = app.switch_org(&user, team.id).await;
    app.grant_by_task_to_org(team.id, 10).await;
    let team_key = app.create_key(in_team.bearer(), "team script").await;

    let me = app.me(Auth::Key(&team_key.key)).await;
    assert_eq!(me.organization.id, team.id);
    assert_eq!(
        me.organization.role, None,
        "a key acts for the organisation, not as a member"
    );
    assert_eq!(me.credits, 10);
    app.spend(Auth::Key(&team_key.key), 1).await;
    assert_eq!(app.balance(in_team.bearer()).await, 9);
    assert_eq!(
        app.balance(user.bearer()).await,
        3,
        "not the creator's own wallet"
    );

    // Each organisation lists only its own keys, and revokes only its own.
    assert_eq!(app.keys(in_team.bearer()).await.len(), 1);
    assert!(app.keys(user.bearer()).await.is_empty());
    let foreign = app.try_delete_key(user.bearer(), team_key.id).await;
    expect_error(foreign, StatusCode::NOT_FOUND, "not_found").await;
    let revoked = app.try_delete_key(in_team.bearer(), team_key.id).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
}

/// Two members of one organisation, each by session and by key, race 1,000 paid calls over a
/// balance of 50: exactly 50 succeed.
async fn members_spend_one_shared_balance_exactly_once(backend: Backend) {
    const BALANCE: i64 = 50;
    const CALLS: usize = 1000;
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    let (browser, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;
    app.grant_by_task_to_org(team.id, BALANCE).await;
    let owner_key = app.create_key(owner.bearer(), "owner's").await;
    let developer_key = browser.create_key(developer.bearer(), "developer's").await;

    let race = app
        .race_paid_calls(
            &[
                owner.bearer(),
                Auth::Key(&owner_key.key),
                developer.bearer(),
                Auth::Key(&developer_key.key),
            ],
            CALLS,
        )
        .await;

    race.assert_spent_exactly(BALANCE, CALLS);
    assert_eq!(app.balance(owner.bearer()).await, 0);
    assert_ledger_consistent(&app, developer.bearer()).await;
}
