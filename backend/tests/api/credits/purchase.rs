//! Buying credits with the dev payment provider.

use reqwest::StatusCode;
use shared::dto::LedgerKind;

use crate::helpers::*;

both_backends!(
    purchases_credit_at_once_and_are_recorded,
    an_unknown_package_is_404_and_changes_nothing
);

async fn purchases_credit_at_once_and_are_recorded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    assert_eq!(app.buy(user.bearer(), "starter").await, 100);
    assert_eq!(app.buy(user.bearer(), "pro").await, 1100);

    assert_eq!(app.balance(user.bearer()).await, 1100);
    let ledger = app.ledger(user.bearer()).await;
    let rows: Vec<(i64, &LedgerKind, i64)> = ledger
        .iter()
        .map(|e| (e.delta, &e.kind, e.balance_after))
        .collect();
    let purchase = |package: &str| LedgerKind::Purchase {
        package_id: package.to_owned(),
    };
    assert_eq!(
        rows,
        vec![
            (1000, &purchase("pro"), 1100),
            (100, &purchase("starter"), 100)
        ]
    );
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn an_unknown_package_is_404_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for package in ["enterprise", "", "STARTER"] {
        let response = app.try_buy(user.bearer(), package).await;
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
}
