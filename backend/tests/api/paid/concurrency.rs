//! The guard's promise under load: concurrent calls never spend more than the balance.

use crate::helpers::*;

const BALANCE: i64 = 50;
const CALLS: usize = 500;

both_backends!(concurrent_calls_spend_exactly_the_balance);

async fn concurrent_calls_spend_exactly_the_balance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(BALANCE).await;
    let key = app.create_key(user.bearer(), "load").await;

    // Half the calls by token, half by key: both paths go through the same guard.
    let race = app
        .race_paid_calls(&[user.bearer(), Auth::Key(&key.key)], CALLS)
        .await;

    race.assert_spent_exactly(BALANCE, CALLS);
    assert_eq!(app.balance(user.bearer()).await, 0);
    let spends = app
        .ledger(user.bearer())
        .await
        .iter()
        .filter(|e| e.delta == -1)
        .count();
    assert_eq!(spends, 50);
    assert_ledger_consistent(&app, user.bearer()).await;
}
