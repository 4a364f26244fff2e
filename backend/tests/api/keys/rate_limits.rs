//! Per-key rate limits and the `RateLimit-*` headers: a key with a limit of its own gets 429
//! past it while its creator and their other keys go on; every answer tells the caller where
//! its bucket stands; the limit is validated, listed and kept by a rotation.

use reqwest::{Response, StatusCode, header};
use serde_json::json;
use shared::dto::{ApiKey, CreatedKey};

use crate::helpers::*;

const LIMITS_ON: (&str, &str) = ("RATE_LIMIT_ENABLED", "true");
const API_QUOTA: (&str, &str) = ("RATE_LIMIT_API_PER_MINUTE", "100");
const AUTH_QUOTA: (&str, &str) = ("RATE_LIMIT_AUTH_PER_MINUTE", "7");

both_backends!(
    a_key_past_its_own_limit_gets_429_while_its_creator_goes_on,
    every_api_answer_tells_where_the_callers_bucket_stands,
    rate_limits_are_validated_listed_and_kept_by_a_rotation,
    with_limits_off_a_keys_own_limit_is_off_too,
    without_a_per_user_quota_a_keys_own_limit_still_holds,
);

async fn key_with_rate_limit(app: &TestApp, user: &TestUser, per_minute: i64) -> CreatedKey {
    let body = json!({ "name": "throttled", "rate_limit_per_minute": per_minute });
    expect_json(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await
}

/// The `RateLimit-Limit`, `-Remaining` and `-Reset` of an answer.
fn standing(response: &Response) -> (u64, u64, u64) {
    let number = |name| {
        let value = expect_header(response, name);
        value
            .parse::<u64>()
            .unwrap_or_else(|_| panic!("{name} is not a number of seconds or calls: {value}"))
    };
    (
        number("RateLimit-Limit"),
        number("RateLimit-Remaining"),
        number("RateLimit-Reset"),
    )
}

async fn a_key_past_its_own_limit_gets_429_while_its_creator_goes_on(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[LIMITS_ON, API_QUOTA]).await;
    let user = app.new_user().await;
    let key = key_with_rate_limit(&app, &user, 3).await;
    let other = app.create_key(user.bearer(), "unthrottled").await;

    // A cell every 20 s: the bucket counts down and is full again 20 s per call later.
    for (call, remaining) in [2, 1, 0].into_iter().enumerate() {
        let response = app.try_me(Auth::Key(&key.key)).await;
        let reset = 20 * (call as u64 + 1);
        assert_eq!(standing(&response), (3, remaining, reset), "call {call}");
        expect_json::<shared::dto::User>(response, StatusCode::OK).await;
    }
    let refused = app.try_me(Auth::Key(&key.key)).await;
    let (limit, remaining, reset) = standing(&refused);
    let retry_after = expect_header(&refused, header::RETRY_AFTER.as_str());
    assert_eq!((limit, remaining), (3, 0));
    assert_eq!(retry_after, reset.to_string(), "Retry-After is the reset");
    assert!(
        (1..=20).contains(&reset),
        "the next call is due within 20 s"
    );
    expect_error(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // The creator's bucket counted the four calls, and is the one their other credentials see.
    let session = app.try_me(user.bearer()).await;
    let (limit, remaining, _) = standing(&session);
    assert_eq!(limit, 100);
    assert!(remaining <= 95, "the key's calls count for its creator too");
    expect_json::<shared::dto::User>(session, StatusCode::OK).await;
    let unthrottled = app.try_me(Auth::Key(&other.key)).await;
    assert_eq!(standing(&unthrottled).0, 100);
    expect_json::<shared::dto::User>(unthrottled, StatusCode::OK).await;
}

async fn every_api_answer_tells_where_the_callers_bucket_stands(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[LIMITS_ON, API_QUOTA, AUTH_QUOTA]).await;
    let user = app.new_user().await;

    // A paid call, its creator's bucket.
    let paid = app.try_generate(user.bearer(), "hello").await;
    assert_eq!(standing(&paid).0, 100);
    // An error: the anonymous client's bucket.
    let anonymous = app.try_me(Auth::None).await;
    assert_eq!(standing(&anonymous).0, 100);
    expect_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // A sign-in: the client's bucket of the auth quota, which two sign-ups spent already.
    let login = app.try_login(&user.email, "not the password").await;
    let (limit, remaining, reset) = standing(&login);
    assert_eq!(limit, 7);
    assert!(
        remaining < 7 && reset > 0,
        "{remaining} left, full in {reset} s"
    );
}

async fn rate_limits_are_validated_listed_and_kept_by_a_rotation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    for refused in [0, -1, 1_000_001] {
        let body = json!({ "name": "bad", "rate_limit_per_minute": refused });
        let response = app.try_create_key_json(user.bearer(), &body).await;
        let error = expect_validation_error(response, "rate_limit_per_minute").await;
        assert_eq!(
            error.message,
            "rate_limit_per_minute must be between 1 and 1000000"
        );
    }
    assert!(app.keys(user.bearer()).await.is_empty(), "nothing written");

    let key = key_with_rate_limit(&app, &user, 60).await;
    assert_eq!(key.rate_limit_per_minute, Some(60));
    let rotated: CreatedKey = expect_json(
        app.try_rotate_key(user.bearer(), key.id, 0).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(rotated.rate_limit_per_minute, Some(60));
    let unlimited = app.create_key(user.bearer(), "plain").await;
    let listed: Vec<(i64, Option<i64>)> = app
        .keys(user.bearer())
        .await
        .iter()
        .map(|k: &ApiKey| (k.id, k.rate_limit_per_minute))
        .collect();
    assert_eq!(listed, [(unlimited.id, None), (rotated.id, Some(60))]);
}

async fn with_limits_off_a_keys_own_limit_is_off_too(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let key = key_with_rate_limit(&app, &user, 1).await;
    for _ in 0..3 {
        let response = app.try_me(Auth::Key(&key.key)).await;
        assert!(
            header_value(&response, "RateLimit-Limit").is_none(),
            "no bucket, no headers"
        );
        expect_json::<shared::dto::User>(response, StatusCode::OK).await;
    }
}

async fn without_a_per_user_quota_a_keys_own_limit_still_holds(backend: Backend) {
    let no_api_quota = ("RATE_LIMIT_API_PER_MINUTE", "0");
    let app = TestApp::spawn_with(backend, &[LIMITS_ON, no_api_quota]).await;
    let user = app.new_user().await;
    let key = key_with_rate_limit(&app, &user, 2).await;
    for remaining in [1, 0] {
        let response = app.try_me(Auth::Key(&key.key)).await;
        assert_eq!(standing(&response).1, remaining);
        expect_json::<shared::dto::User>(response, StatusCode::OK).await;
    }
    let refused = app.try_me(Auth::Key(&key.key)).await;
    expect_error(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The session has no bucket at all: no headers.
    let session = app.try_me(user.bearer()).await;
    assert!(header_value(&session, "RateLimit-Limit").is_none());
}
