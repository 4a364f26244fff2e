//! Expiry: a key works until the instant it expires, then answers 401 "API key expired"; an
//! expired key no longer counts towards the organisation's cap.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::CreatedKey;

use crate::helpers::*;

both_backends!(
    a_key_works_until_its_expiry_then_answers_401,
    an_expired_key_leaves_room_under_the_cap,
);

const DAY: Duration = Duration::from_secs(86_400);

async fn a_key_works_until_its_expiry_then_answers_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let body = json!({ "name": "ci", "expires_in_days": 1 });
    let key: CreatedKey = expect_json(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let expires_at = key.expires_at.expect("an expiry");
    assert_eq!(expires_at - key.created_at, chrono::TimeDelta::days(1));
    let listed = app.keys(user.bearer()).await;
    assert_eq!(listed[0].expires_at, Some(expires_at));

    // A second before the expiry (the creation took a moment: less than a day has passed).
    app.advance_clock(DAY - Duration::from_secs(1));
    let response = app.get("/api/credits", Auth::Key(&key.key)).await;
    assert_eq!(response.status(), StatusCode::OK);

    app.advance_clock(Duration::from_secs(2));
    let expired = app.get("/api/credits", Auth::Key(&key.key)).await;
    let error = expect_error(expired, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(error.message, "API key expired");
    // The session still works, and still lists the key, with its expiry.
    assert_eq!(app.keys(user.bearer()).await.len(), 1);
}

async fn an_expired_key_leaves_room_under_the_cap(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("MAX_API_KEYS", "1")]).await;
    let user = app.new_user().await;
    let body = json!({ "name": "short", "expires_in_days": 1 });
    expect_json::<CreatedKey>(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let full = app.try_create_key(user.bearer(), "second").await;
    expect_error(full, StatusCode::CONFLICT, "key_limit_reached").await;

    app.advance_clock(DAY);
    app.create_key(user.bearer(), "second").await;
}
