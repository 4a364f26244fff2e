//! Granting (and taking back) credits as an admin.

use reqwest::StatusCode;
use shared::dto::{Balance, LedgerKind};

use crate::helpers::*;

both_backends!(
    admin_grants_are_credited_and_recorded_with_the_reason,
    admin_grants_refuse_zero_overdrafts_and_long_reasons,
    granting_to_an_unknown_user_is_404,
);

async fn admin_grants_are_credited_and_recorded_with_the_reason(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user().await;

    let granted: Balance = expect_json(
        app.try_admin_grant(admin.bearer(), user.id, 25, "welcome")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(granted.credits, 25);
    let taken: Balance = expect_json(
        app.try_admin_grant(admin.bearer(), user.id, -5, "correction")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(taken.credits, 20);

    assert_eq!(app.balance(user.bearer()).await, 20);
    let rows: Vec<(i64, LedgerKind, i64)> = app
        .ledger(user.bearer())
        .await
        .into_iter()
        .map(|e| (e.delta, e.kind, e.balance_after))
        .collect();
    let grant = |note: &str| LedgerKind::Grant {
        note: note.to_owned(),
    };
    assert_eq!(
        rows,
        vec![(-5, grant("correction"), 20), (25, grant("welcome"), 25)]
    );
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn admin_grants_refuse_zero_overdrafts_and_long_reasons(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user_with_credits(10).await;

    for (amount, reason) in [(0, "nothing"), (-11, "overdraft"), (5, &*"r".repeat(201))] {
        let response = app
            .try_admin_grant(admin.bearer(), user.id, amount, reason)
            .await;
        expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    }

    assert_eq!(app.balance(user.bearer()).await, 10);
    assert_eq!(
        app.ledger(user.bearer()).await.len(),
        1,
        "only the set-up grant"
    );
}

async fn granting_to_an_unknown_user_is_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;

    let response = app
        .try_admin_grant(admin.bearer(), 987_654, 5, "ghost")
        .await;
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
}
