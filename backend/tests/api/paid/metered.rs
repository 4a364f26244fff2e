//! `POST /api/generate-story` (`Metered<_>`): the most `max_words` may cost (a credit per 100
//! words) is reserved before the work, what the story came to is charged and the rest refunded,
//! with the ledger rows, the key's spend window and idempotency of a fixed-price call; concurrent
//! calls never overspend.

use futures::{StreamExt, stream};
use reqwest::{Response, StatusCode};
use serde_json::json;
use shared::dto::{CreatedKey, GenerateStoryResponse, LedgerKind};

use crate::helpers::*;

const ROUTE: &str = "POST /api/generate-story";

both_backends!(
    the_reservation_is_settled_to_what_the_story_came_to,
    a_balance_short_of_the_reservation_is_402_and_writes_nothing,
    a_keys_spend_window_counts_the_settled_cost,
    concurrent_metered_calls_never_overspend,
);

impl TestApp {
    async fn try_story(&self, auth: Auth<'_>, prompt: &str, max_words: i64) -> Response {
        let body = json!({ "prompt": prompt, "max_words": max_words });
        self.post_json("/api/generate-story", &body, auth).await
    }
}

async fn the_reservation_is_settled_to_what_the_story_came_to(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;

    // Three words told ten times: 30 words, 1 credit, of the 10 that 1,000 words could cost.
    let response = app.try_story(user.bearer(), "a red dragon", 1000).await;
    let story: GenerateStoryResponse = expect_json(response, StatusCode::OK).await;
    assert_eq!(
        (story.words, story.credits_charged, story.credits),
        (30, 1, 99)
    );
    assert_eq!(app.balance(user.bearer()).await, 99);
    let ledger = app.ledger(user.bearer()).await;
    let moves: Vec<(i64, &LedgerKind)> =
        ledger.iter().take(2).map(|e| (e.delta, &e.kind)).collect();
    let spend_id = ledger[1].id;
    assert_eq!(
        moves,
        [
            (
                9,
                &LedgerKind::Refund {
                    refunded_entry_id: spend_id,
                    route: ROUTE.to_owned()
                }
            ),
            (
                -10,
                &LedgerKind::Spend {
                    route: ROUTE.to_owned()
                }
            ),
        ]
    );
    // Usage nets the refund: one credit spent today.
    let days: Vec<shared::dto::UsageDay> =
        expect_json(app.try_usage(user.bearer(), "days=1").await, StatusCode::OK).await;
    assert_eq!(days[0].spent, 1);

    // A story as long as its cap costs the whole reservation, and nothing goes back.
    let long = "word ".repeat(50);
    let response = app.try_story(user.bearer(), &long, 250).await;
    let story: GenerateStoryResponse = expect_json(response, StatusCode::OK).await;
    assert_eq!(
        (story.words, story.credits_charged, story.credits),
        (250, 3, 96)
    );
    assert_eq!(app.ledger(user.bearer()).await[0].delta, -3);
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn a_balance_short_of_the_reservation_is_402_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(5).await;

    // The story would cost 1, but 1,000 words could cost 10: the reservation decides.
    let response = app.try_story(user.bearer(), "a red dragon", 1000).await;
    expect_error(
        response,
        StatusCode::PAYMENT_REQUIRED,
        "insufficient_credits",
    )
    .await;
    let refused = app.try_story(user.bearer(), "a red dragon", 10_001).await;
    expect_validation_error(refused, "max_words").await;
    assert_eq!(app.balance(user.bearer()).await, 5);
    assert_eq!(app.ledger(user.bearer()).await.len(), 1, "only the grant");
}

async fn a_keys_spend_window_counts_the_settled_cost(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;
    let body = json!({ "name": "metered", "spend_limit_daily": 10 });
    let key: CreatedKey = expect_json(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await;

    // Reserves all 10 of the window, keeps 1 of it.
    let response = app
        .try_story(Auth::Key(&key.key), "a red dragon", 1000)
        .await;
    expect_json::<GenerateStoryResponse>(response, StatusCode::OK).await;
    let listed = app.keys(user.bearer()).await;
    assert_eq!(listed[0].spent_today, 1);
    // 9 left in the window: a reservation of 10 does not fit, one of 9 does.
    let over = app
        .try_story(Auth::Key(&key.key), "a red dragon", 1000)
        .await;
    expect_error(over, StatusCode::PAYMENT_REQUIRED, "key_spend_limit").await;
    let fits = app
        .try_story(Auth::Key(&key.key), "a red dragon", 900)
        .await;
    expect_json::<GenerateStoryResponse>(fits, StatusCode::OK).await;
    assert_eq!(app.keys(user.bearer()).await[0].spent_today, 2);
}

async fn concurrent_metered_calls_never_overspend(backend: Backend) {
    const BALANCE: i64 = 50;
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(BALANCE).await;
    let app = &app;
    let auth = user.bearer();

    // Each reserves 5 and is charged 1: between 10 and 50 of them fit, however they interleave.
    let statuses: Vec<StatusCode> = stream::iter(0..200)
        .map(|_| async move { app.try_story(auth, "a red dragon", 500).await.status() })
        .buffer_unordered(100)
        .collect()
        .await;
    let succeeded = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::OK, StatusCode::PAYMENT_REQUIRED].contains(s)),
        "{statuses:?}"
    );
    assert!((10..=50).contains(&succeeded), "{succeeded} succeeded");
    let expected = BALANCE - i64::try_from(succeeded).expect("a small count");
    assert_eq!(app.balance(auth).await, expected);
    assert_ledger_consistent(app, auth).await;
}
