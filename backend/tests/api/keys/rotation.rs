//! Rotation: a new secret with the old one's name, scopes and expiry; the old secret works for
//! the grace period, then answers 401 and leaves the list.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{CreatedKey, Scope};

use crate::helpers::*;

both_backends!(
    a_rotated_key_works_through_its_grace_period_then_only_the_new_one_does,
    a_rotation_without_grace_stops_the_old_secret_at_once,
    rotation_refuses_bad_grace_unknown_revoked_and_already_rotated_keys,
);

async fn rotate(app: &TestApp, user: &TestUser, id: i64, grace: i64) -> CreatedKey {
    expect_json(
        app.try_rotate_key(user.bearer(), id, grace).await,
        StatusCode::CREATED,
    )
    .await
}

async fn a_rotated_key_works_through_its_grace_period_then_only_the_new_one_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(10).await;
    let body = json!({ "name": "ci", "scopes": ["credits:read"], "expires_in_days": 30 });
    let old: CreatedKey = expect_json(
        app.try_create_key_json(user.bearer(), &body).await,
        StatusCode::CREATED,
    )
    .await;

    let new = rotate(&app, &user, old.id, 3600).await;
    assert_ne!(new.key, old.key);
    assert_eq!(
        (new.name.as_str(), new.scopes.as_slice(), new.expires_at),
        ("ci", &[Scope::CreditsRead][..], old.expires_at)
    );
    // Both work, and both are listed; the old one names its replacement and its end.
    for key in [&old.key, &new.key] {
        let response = app.get("/api/credits", Auth::Key(key)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let listed = app.keys(user.bearer()).await;
    assert_eq!(listed.len(), 2);
    let old_listed = listed.iter().find(|k| k.id == old.id).expect("the old key");
    assert_eq!(old_listed.replaced_by, Some(new.id));
    let grace_end = old_listed.expires_at.expect("the end of the grace period");
    assert_eq!(grace_end - new.created_at, chrono::TimeDelta::hours(1));

    // A second before the grace period ends, then at its end.
    app.advance_clock(Duration::from_secs(3599));
    let still = app.get("/api/credits", Auth::Key(&old.key)).await;
    assert_eq!(still.status(), StatusCode::OK);
    app.advance_clock(Duration::from_secs(1));
    let ended = app.get("/api/credits", Auth::Key(&old.key)).await;
    let error = expect_error(ended, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(error.message, "API key expired");
    let response = app.get("/api/credits", Auth::Key(&new.key)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.key_ids(user.bearer()).await, [new.id]);
}

async fn a_rotation_without_grace_stops_the_old_secret_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(10).await;
    let old = app.create_key(user.bearer(), "deploy").await;

    let new = rotate(&app, &user, old.id, 0).await;

    let response = app.get("/api/credits", Auth::Key(&old.key)).await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.spend(Auth::Key(&new.key), 1).await;
    assert_eq!(app.key_ids(user.bearer()).await, [new.id]);
}

async fn rotation_refuses_bad_grace_unknown_revoked_and_already_rotated_keys(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "deploy").await;

    for grace in [-1, 604_801] {
        let response = app.try_rotate_key(user.bearer(), key.id, grace).await;
        expect_validation_error(response, "grace_seconds").await;
    }
    let unknown = app.try_rotate_key(user.bearer(), 987_654, 60).await;
    expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;

    let new = rotate(&app, &user, key.id, 60).await;
    let again = app.try_rotate_key(user.bearer(), key.id, 60).await;
    expect_error(again, StatusCode::CONFLICT, "conflict").await;

    let revoked = app.create_key(user.bearer(), "old").await;
    app.try_delete_key(user.bearer(), revoked.id).await;
    let response = app.try_rotate_key(user.bearer(), revoked.id, 60).await;
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // Nothing else was made: the first key (in its grace period), its replacement.
    assert_eq!(app.key_ids(user.bearer()).await, [new.id, key.id]);
}
