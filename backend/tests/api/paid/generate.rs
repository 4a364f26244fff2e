//! A paid call spends exactly one credit, by token or by key, and none when there are none.

use reqwest::StatusCode;
use shared::dto::{GenerateTextResponse, LedgerKind};

use crate::helpers::*;

both_backends!(
    generate_text_spends_one_credit_and_reports_the_rest,
    an_api_key_can_spend_credits,
    generate_text_at_zero_credits_is_402_and_writes_nothing,
);

async fn generate_text_spends_one_credit_and_reports_the_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(2).await;

    let response = app
        .try_generate(user.bearer(), "Write a haiku about ledgers")
        .await;
    let answer: GenerateTextResponse = expect_json(response, StatusCode::OK).await;

    assert!(!answer.generated_text.trim().is_empty());
    assert_eq!(answer.credits, 1);
    assert_eq!(app.balance(user.bearer()).await, 1);
    let newest = app.ledger(user.bearer()).await.remove(0);
    assert_eq!(
        (newest.delta, newest.kind, newest.balance_after),
        (
            -1,
            LedgerKind::Spend {
                route: "POST /api/generate-text".to_owned()
            },
            1
        )
    );
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn an_api_key_can_spend_credits(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(3).await;
    let key = app.create_key(user.bearer(), "script").await;

    let response = app.try_generate(Auth::Key(&key.key), "hello").await;
    let answer: GenerateTextResponse = expect_json(response, StatusCode::OK).await;

    assert_eq!(answer.credits, 2);
    assert_eq!(app.balance(user.bearer()).await, 2);
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn generate_text_at_zero_credits_is_402_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(1).await;
    app.spend(user.bearer(), 1).await;
    let ledger = app.ledger(user.bearer()).await;

    let response = app.try_generate(user.bearer(), "one more").await;
    expect_error(
        response,
        StatusCode::PAYMENT_REQUIRED,
        "insufficient_credits",
    )
    .await;

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert_eq!(
        app.ledger(user.bearer()).await,
        ledger,
        "a refused call writes no ledger row"
    );
}
