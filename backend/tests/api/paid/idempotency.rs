//! `Idempotency-Key` on a paid POST: a retry gets the first answer again and is not charged, on
//! any credential of the organisation; 100 identical requests at once charge once; the same key
//! with another body is 422; a retry while the first runs is 409; refused requests keep no
//! answer; keys last 24 hours; a malformed key is 400 and charges nothing.

use std::time::Duration;

use futures::{StreamExt, stream};
use reqwest::{Response, StatusCode, header::HeaderValue};
use shared::dto::{GenerateTextRequest, GenerateTextResponse};

use crate::helpers::*;

const REPLAYED: &str = "Idempotent-Replayed";

both_backends!(
    a_retry_gets_the_first_answer_and_is_not_charged_again,
    a_hundred_identical_requests_at_once_charge_once,
    the_same_key_with_another_body_is_422_and_charges_nothing,
    a_retry_while_the_first_request_runs_is_409,
    refused_requests_keep_no_answer_and_keys_last_24_hours,
    a_malformed_key_is_400_and_charges_nothing,
);

impl TestApp {
    async fn generate_once(&self, auth: Auth<'_>, key: &str, prompt: &str) -> Response {
        let body = GenerateTextRequest {
            prompt: prompt.into(),
        };
        // From bytes: a test sends keys no well-behaved client would.
        let key = HeaderValue::from_bytes(key.as_bytes()).expect("no control characters");
        self.request(reqwest::Method::POST, "/api/generate-text", auth)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .expect("the request did not reach the server")
    }
}

/// The answer of a paid call, and whether it was a replay.
async fn answered(response: Response) -> (GenerateTextResponse, bool) {
    let replayed = header_value(&response, REPLAYED).is_some_and(|v| v == "true");
    (expect_json(response, StatusCode::OK).await, replayed)
}

/// How many paid calls the organisation was charged for.
async fn charges(app: &TestApp, user: &TestUser) -> usize {
    let ledger = app.ledger(user.bearer()).await;
    ledger.iter().filter(|e| e.delta < 0).count()
}

async fn a_retry_gets_the_first_answer_and_is_not_charged_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(10).await;
    let key = app.create_key(user.bearer(), "script").await;

    let (first, replayed) =
        answered(app.generate_once(Auth::Key(&key.key), "k-1", "hi").await).await;
    assert!(!replayed);
    assert_eq!(first.credits, 9);
    let (again, replayed) =
        answered(app.generate_once(Auth::Key(&key.key), "k-1", "hi").await).await;
    assert!(replayed, "the retry says it is a replay");
    assert_eq!(
        again, first,
        "the same answer, the balance of then included"
    );
    // The key is the organisation's: the same request from a member's session is a retry too.
    let (by_member, replayed) = answered(app.generate_once(user.bearer(), "k-1", "hi").await).await;
    assert!(replayed);
    assert_eq!(by_member, first);
    assert_eq!(
        (app.balance(user.bearer()).await, charges(&app, &user).await),
        (9, 1)
    );

    // Another key value is another request; no key at all is charged every time.
    let (other, replayed) =
        answered(app.generate_once(Auth::Key(&key.key), "k-2", "hi").await).await;
    assert_eq!((other.credits, replayed), (8, false));
    app.spend(Auth::Key(&key.key), 2).await;
    assert_eq!(app.balance(user.bearer()).await, 6);

    // Another organisation's same key value is its own.
    let stranger = app.new_user_with_credits(5).await;
    let (theirs, replayed) =
        answered(app.generate_once(stranger.bearer(), "k-1", "hi").await).await;
    assert_eq!((theirs.credits, replayed), (4, false));
}

async fn a_hundred_identical_requests_at_once_charge_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(50).await;
    let key = app.create_key(user.bearer(), "retrying script").await;
    let app = &app;
    let key = key.key.as_str();

    let outcomes: Vec<(StatusCode, bool, String)> = stream::iter(0..100)
        .map(|_| async move {
            let response = app.generate_once(Auth::Key(key), "once", "hello").await;
            let replayed = header_value(&response, REPLAYED).is_some();
            (
                response.status(),
                replayed,
                response.text().await.expect("a body"),
            )
        })
        .buffer_unordered(100)
        .collect()
        .await;

    let fresh: Vec<&String> = outcomes
        .iter()
        .filter(|(status, replayed, _)| *status == StatusCode::OK && !replayed)
        .map(|(_, _, body)| body)
        .collect();
    assert_eq!(fresh.len(), 1, "one request ran: {outcomes:?}");
    for (status, replayed, body) in &outcomes {
        match *status {
            StatusCode::OK => assert!(*replayed || body == fresh[0]),
            StatusCode::CONFLICT => assert!(body.contains("idempotency_in_progress"), "{body}"),
            other => panic!("an identical request answered {other}: {body}"),
        }
        if *replayed {
            assert_eq!(body, fresh[0], "a replay is the first answer");
        }
    }
    assert_eq!(
        (app.balance(user.bearer()).await, charges(app, &user).await),
        (49, 1)
    );
    assert_ledger_consistent(app, user.bearer()).await;
}

async fn the_same_key_with_another_body_is_422_and_charges_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(10).await;
    answered(app.generate_once(user.bearer(), "k", "first prompt").await).await;

    let other = app
        .generate_once(user.bearer(), "k", "another prompt")
        .await;
    let error = expect_error(
        other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    assert!(
        error.message.contains("another request"),
        "{}",
        error.message
    );
    assert_eq!(
        (app.balance(user.bearer()).await, charges(&app, &user).await),
        (9, 1)
    );
}

async fn a_retry_while_the_first_request_runs_is_409(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(10).await;
    answered(app.generate_once(user.bearer(), "k", "hi").await).await;
    // Replayed: the answer is stored (SQLite stores it just after it is sent, ahead of any later
    // request), so the UPDATE below cannot be overwritten by it.
    let (_, replayed) = answered(app.generate_once(user.bearer(), "k", "hi").await).await;
    assert!(replayed);
    // As a replica that is still working on the request (or died on it) leaves the key.
    app.execute_sql("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL")
        .await;

    let retry = app.generate_once(user.bearer(), "k", "hi").await;
    expect_error(retry, StatusCode::CONFLICT, "idempotency_in_progress").await;
    assert_eq!(
        (app.balance(user.bearer()).await, charges(&app, &user).await),
        (9, 1)
    );
}

async fn refused_requests_keep_no_answer_and_keys_last_24_hours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let broke = app.generate_once(user.bearer(), "k", "hi").await;
    expect_error(broke, StatusCode::PAYMENT_REQUIRED, "insufficient_credits").await;
    let refused = app.generate_once(user.bearer(), "k", "").await;
    expect_validation_error(refused, "prompt").await;

    // With credits, the retry runs: the 402 was not kept for it.
    app.grant_by_task(&user.email, 10).await;
    let (first, replayed) = answered(app.generate_once(user.bearer(), "k", "hi").await).await;
    assert_eq!((first.credits, replayed), (9, false));
    app.advance_clock(Duration::from_secs(24 * 3600 - 1));
    assert!(
        answered(app.generate_once(user.bearer(), "k", "hi").await)
            .await
            .1
    );
    // Past 24 hours the key is free again: the same request is a new one, charged.
    app.advance_clock(Duration::from_secs(1));
    let (later, replayed) = answered(app.generate_once(user.bearer(), "k", "hi").await).await;
    assert_eq!((later.credits, replayed), (8, false));
}

async fn a_malformed_key_is_400_and_charges_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(10).await;
    for key in ["", &"k".repeat(256), "caf\u{e9}"] {
        let response = app.generate_once(user.bearer(), key, "hi").await;
        let error = expect_validation_error(response, "Idempotency-Key").await;
        assert_eq!(
            error.message,
            "Idempotency-Key must be 1 to 255 printable ASCII characters"
        );
    }
    let longest = app
        .generate_once(user.bearer(), &"k".repeat(255), "hi")
        .await;
    assert_eq!(answered(longest).await.0.credits, 9);
    assert_eq!(charges(&app, &user).await, 1);
}
