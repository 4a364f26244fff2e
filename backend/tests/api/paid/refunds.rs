//! When the handler fails after the charge, the credit comes back, with a ledger row.

use crate::helpers::*;

both_backends!(a_blank_prompt_is_refused_and_refunded);

async fn a_blank_prompt_is_refused_and_refunded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(3).await;

    for prompt in ["", "   \n\t "] {
        expect_validation_error(app.try_generate(user.bearer(), prompt).await, "prompt").await;
    }

    assert_eq!(app.balance(user.bearer()).await, 3);
    let ledger = app.ledger(user.bearer()).await;
    let newest: Vec<(i64, &str, i64)> = ledger
        .iter()
        .take(4)
        .map(|e| (e.delta, e.reason.as_str(), e.balance_after))
        .collect();
    let charge_then_refund = [
        (1, "refund: POST /api/generate-text", 3),
        (-1, "POST /api/generate-text", 2),
    ];
    assert_eq!(
        newest,
        [charge_then_refund, charge_then_refund].concat(),
        "{ledger:#?}"
    );
    assert_ledger_consistent(&app, user.bearer()).await;
}
