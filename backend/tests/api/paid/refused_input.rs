//! Input a paid route refuses costs nothing: it is checked before the charge, so there is no
//! spend, no refund and no ledger row (a refused call used to write two rows for free).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

both_backends!(
    a_refused_prompt_is_400_and_writes_no_ledger_row,
    a_refused_prompt_at_zero_credits_is_400_not_402,
);

async fn a_refused_prompt_is_400_and_writes_no_ledger_row(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(3).await;
    let key = app.create_key(user.bearer(), "script").await;
    let ledger = app.ledger(user.bearer()).await;
    let too_long = "p".repeat(4001);

    for auth in [user.bearer(), Auth::Key(&key.key)] {
        for prompt in ["", "   \n\t ", too_long.as_str()] {
            expect_validation_error(app.try_generate(auth, prompt).await, "prompt").await;
        }
        for body in [json!({}), json!({ "prompt": 7 }), json!(["hello"])] {
            let response = app.post_json("/api/generate-text", &body, auth).await;
            expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
        }
    }

    assert_eq!(app.balance(user.bearer()).await, 3);
    assert_eq!(
        app.ledger(user.bearer()).await,
        ledger,
        "a refused call writes no ledger row"
    );
}

async fn a_refused_prompt_at_zero_credits_is_400_not_402(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    expect_validation_error(app.try_generate(user.bearer(), " ").await, "prompt").await;

    assert!(app.ledger(user.bearer()).await.is_empty());
}
