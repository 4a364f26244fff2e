//! The subscription-style guard: a positive balance lets the caller in and costs nothing.

use reqwest::StatusCode;
use shared::dto::PremiumResponse;

use crate::helpers::*;

both_backends!(
    premium_checks_the_balance_without_spending,
    premium_at_zero_credits_is_402
);

async fn premium_checks_the_balance_without_spending(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(3).await;
    let key = app.create_key(user.bearer(), "script").await;

    for auth in [user.bearer(), Auth::Key(&key.key)] {
        let answer: PremiumResponse =
            expect_json(app.try_premium(auth).await, StatusCode::OK).await;
        assert_eq!(answer.credits, 3);
        assert!(!answer.message.is_empty());
    }

    assert_eq!(app.balance(user.bearer()).await, 3);
    assert_eq!(app.ledger(user.bearer()).await.len(), 1, "only the grant");
}

async fn premium_at_zero_credits_is_402(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let response = app.try_premium(user.bearer()).await;
    expect_error(
        response,
        StatusCode::PAYMENT_REQUIRED,
        "insufficient_credits",
    )
    .await;

    assert!(app.ledger(user.bearer()).await.is_empty());
}
