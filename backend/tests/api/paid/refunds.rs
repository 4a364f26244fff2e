//! When the handler fails after the charge, the credit comes back, with a ledger row.

use shared::dto::LedgerKind;

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
    let route = "POST /api/generate-text".to_owned();
    // Newest first: each refund names the spend just below it.
    let newest: Vec<(i64, LedgerKind, i64)> = ledger
        .iter()
        .take(4)
        .map(|e| (e.delta, e.kind.clone(), e.balance_after))
        .collect();
    let charge_then_refund = |spend_id: i64| {
        [
            (
                1,
                LedgerKind::Refund {
                    refunded_entry_id: spend_id,
                    route: route.clone(),
                },
                3,
            ),
            (
                -1,
                LedgerKind::Spend {
                    route: route.clone(),
                },
                2,
            ),
        ]
    };
    assert_eq!(
        newest,
        [
            charge_then_refund(ledger[1].id),
            charge_then_refund(ledger[3].id)
        ]
        .concat(),
        "{ledger:#?}"
    );
    assert_ledger_consistent(&app, user.bearer()).await;
}
