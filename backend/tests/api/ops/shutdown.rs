//! SIGTERM while paid calls are in flight: the binary lets them finish and exits 0; restarted on
//! the same database, its books balance and every success the caller saw is a debit in the
//! ledger (no credit half-spent).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use shared::dto::{GenerateTextRequest, GenerateTextResponse};
use tokio::sync::mpsc;

use crate::helpers::*;

/// The dev package `starter`.
const BALANCE: i64 = 100;
const CALLS: usize = 200;
/// Bounds each call, so a server that never answers fails the test instead of hanging it.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

both_backends!(sigterm_during_paid_calls_spends_only_what_was_answered);

async fn sigterm_during_paid_calls_spends_only_what_was_answered(backend: Backend) {
    let mut server = ServerProcess::start(backend, &[]).await;
    let user = server.new_user().await;
    assert_eq!(server.buy(user.bearer(), "starter").await, BALANCE);
    let key = server.create_key(user.bearer(), "load").await;

    let (sender, mut answers) = mpsc::unbounded_channel();
    for _ in 0..CALLS {
        let request = server
            .request(Method::POST, "/api/generate-text", Auth::Key(&key.key))
            .json(&GenerateTextRequest {
                prompt: "shutting down".into(),
            })
            .timeout(CALL_TIMEOUT);
        let sender = sender.clone();
        tokio::spawn(async move {
            // `None`: no whole answer came (the connection was refused or closed).
            let answer = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    response.text().await.ok().map(|body| (status, body))
                }
                Err(_) => None,
            };
            let _ = sender.send(answer);
        });
    }
    drop(sender);

    // SIGTERM as soon as the first answer is in, the other calls still in flight.
    let mut outcomes = vec![answers.recv().await.expect("a first outcome")];
    server.terminate();
    while let Some(outcome) = answers.recv().await {
        outcomes.push(outcome);
    }
    server.wait_for_clean_exit().await;

    let mut remaining_after_success = Vec::new();
    for (status, body) in outcomes.into_iter().flatten() {
        match status {
            StatusCode::OK => {
                let answer: GenerateTextResponse = serde_json::from_str(&body).expect(&body);
                remaining_after_success.push(answer.credits);
            }
            StatusCode::PAYMENT_REQUIRED => {}
            other => panic!("a paid call answered {other} during the shutdown: {body}"),
        }
    }

    let server = server.restart().await;
    let key = Auth::Key(&key.key);
    let balance = server.balance(key).await;
    assert!(balance >= 0, "the balance went negative: {balance}");
    assert_ledger_consistent(&server, key).await;
    // Every success the caller saw is one debit in the ledger, leaving what the answer said.
    let mut debits: Vec<i64> = server
        .ledger(key)
        .await
        .iter()
        .filter(|entry| entry.delta < 0)
        .map(|entry| entry.balance_after)
        .collect();
    for remaining in &remaining_after_success {
        let debit = debits.iter().position(|after| after == remaining);
        let debit = debit.unwrap_or_else(|| {
            panic!("a success left {remaining} credits, but no debit in the ledger did")
        });
        debits.swap_remove(debit);
    }
    assert!(
        remaining_after_success.len() as i64 <= BALANCE - balance,
        "{} successes, {} credits spent",
        remaining_after_success.len(),
        BALANCE - balance
    );
}
