//! The balance and the package list.

use reqwest::StatusCode;
use shared::dto::{CreditPackage, UsageDay};

use crate::helpers::*;

both_backends!(
    new_users_start_with_zero_credits_and_no_history,
    packages_need_no_login_and_default_to_three,
    packages_come_from_configuration,
);

async fn new_users_start_with_zero_credits_and_no_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "reader").await;

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert_eq!(app.balance(Auth::Key(&key.key)).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
    let usage: Vec<UsageDay> =
        expect_json(app.try_usage(user.bearer(), "days=3").await, StatusCode::OK).await;
    assert!(
        usage.iter().all(|day| day.spent == 0 && day.purchased == 0),
        "{usage:?}"
    );
}

async fn packages_need_no_login_and_default_to_three(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let packages: Vec<CreditPackage> = expect_json(app.try_packages().await, StatusCode::OK).await;

    assert_eq!(
        packages,
        vec![
            package("starter", 100, 500, "usd"),
            package("pro", 1000, 4000, "usd"),
            package("scale", 10000, 30000, "usd"),
        ]
    );
}

async fn packages_come_from_configuration(backend: Backend) {
    let settings = [("CREDIT_PACKAGES", "tiny:5:100:eur,huge:5000:9900:eur")];
    let app = TestApp::spawn_with(backend, &settings).await;
    let user = app.new_user().await;

    let packages: Vec<CreditPackage> = expect_json(app.try_packages().await, StatusCode::OK).await;
    assert_eq!(
        packages,
        vec![
            package("tiny", 5, 100, "eur"),
            package("huge", 5000, 9900, "eur")
        ]
    );

    assert_eq!(app.buy(user.bearer(), "tiny").await, 5);
    let gone = app.try_buy(user.bearer(), "starter").await;
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.balance(user.bearer()).await, 5);
}

fn package(id: &str, credits: i64, price_cents: i64, currency: &str) -> CreditPackage {
    CreditPackage {
        id: id.into(),
        credits,
        price_cents,
        currency: currency.into(),
    }
}
