//! The guard's promise under load: concurrent calls never spend more than the balance.

use futures::{StreamExt, stream};
use reqwest::StatusCode;
use shared::dto::GenerateTextResponse;

use crate::helpers::*;

const BALANCE: i64 = 50;
const CALLS: usize = 500;
/// Requests in flight at once. Enough to race on the pool's every connection, while keeping
/// the client's sockets under the 256 open files macOS allows by default.
const IN_FLIGHT: usize = 100;

both_backends!(concurrent_calls_spend_exactly_the_balance);

async fn concurrent_calls_spend_exactly_the_balance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(BALANCE).await;
    let key = app.create_key(user.bearer(), "load").await;
    let app = &app;

    // Half the calls by token, half by key: both paths go through the same guard.
    let outcomes: Vec<(StatusCode, String)> = stream::iter(0..CALLS)
        .map(|i| {
            let auth = if i % 2 == 0 {
                user.bearer()
            } else {
                Auth::Key(&key.key)
            };
            async move {
                let response = app.try_generate(auth, "race").await;
                let status = response.status();
                (status, response.text().await.expect("a body"))
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;

    let mut remaining: Vec<i64> = Vec::new();
    let mut refused = 0;
    for (status, body) in outcomes {
        match status {
            StatusCode::OK => {
                let answer: GenerateTextResponse = serde_json::from_str(&body).expect(&body);
                remaining.push(answer.credits);
            }
            StatusCode::PAYMENT_REQUIRED => {
                assert!(body.contains("insufficient_credits"), "{body}");
                refused += 1;
            }
            other => panic!("a paid call under load answered {other}: {body}"),
        }
    }
    remaining.sort_unstable();
    assert_eq!(
        remaining,
        (0..BALANCE).collect::<Vec<_>>(),
        "each success saw its own balance"
    );
    assert_eq!(refused, CALLS - remaining.len());
    assert_eq!(app.balance(user.bearer()).await, 0);
    let spends = app
        .ledger(user.bearer())
        .await
        .iter()
        .filter(|e| e.delta == -1)
        .count();
    assert_eq!(spends, 50);
    assert_ledger_consistent(app, user.bearer()).await;
}
