//! Key requests the contract refuses.

use std::time::Duration;

use futures::{StreamExt, stream};
use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    a_sign_in_over_ten_minutes_old_needs_the_password_to_create_a_key,
    key_names_must_be_1_to_64_characters,
    revoking_another_users_key_is_404_and_leaves_it_working,
    revoking_an_unknown_or_malformed_id_is_404,
    the_101st_live_key_is_409_by_default,
    a_key_past_max_api_keys_is_409_until_one_is_revoked,
    concurrent_creations_never_pass_the_cap,
    key_pages_hold_1_to_200_keys,
);

/// A token stolen for a few minutes must not become a key that works for ever: an old sign-in
/// has to give the password again, and a wrong one is refused like a wrong sign-in.
async fn a_sign_in_over_ten_minutes_old_needs_the_password_to_create_a_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let user = app.signed_in_ago(&user, Duration::from_secs(11 * 60)).await;

    let response = app.try_create_key(user.bearer(), "ci").await;
    expect_error(response, StatusCode::FORBIDDEN, "reauthentication_required").await;
    let response = app
        .try_create_key_with(user.bearer(), "ci", Some("not the password"))
        .await;
    expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert!(
        app.keys(user.bearer()).await.is_empty(),
        "no key was created"
    );
}

/// A small `MAX_API_KEYS`, so the cap is reached in a few calls.
const SMALL_CAP: &[(&str, &str)] = &[("MAX_API_KEYS", "3")];

async fn key_names_must_be_1_to_64_characters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for name in ["", "   ", &"k".repeat(65)] {
        expect_validation_error(app.try_create_key(user.bearer(), name).await, "name").await;
    }

    assert!(
        app.keys(user.bearer()).await.is_empty(),
        "no key was created"
    );
}

async fn revoking_another_users_key_is_404_and_leaves_it_working(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.new_user().await;
    let other = app.new_browser().new_user().await;
    let key = app.create_key(owner.bearer(), "mine").await;

    let response = app.try_delete_key(other.bearer(), key.id).await;
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    app.me(Auth::Key(&key.key)).await;
    assert_eq!(app.keys(owner.bearer()).await.len(), 1);
}

async fn revoking_an_unknown_or_malformed_id_is_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    expect_error(
        app.try_delete_key(user.bearer(), 987_654).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for path in ["/api/keys/abc", "/api/keys/-1", "/api/keys/1.5"] {
        let response = app.delete(path, user.bearer()).await;
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
}

async fn the_101st_live_key_is_409_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    for n in 0..100 {
        app.create_key(user.bearer(), &format!("key {n}")).await;
    }

    let response = app.try_create_key(user.bearer(), "one too many").await;

    let error = expect_error(response, StatusCode::CONFLICT, "key_limit_reached").await;
    assert!(error.message.contains("100"), "{}", error.message);
    assert_eq!(app.keys(user.bearer()).await.len(), 100);
}

async fn a_key_past_max_api_keys_is_409_until_one_is_revoked(backend: Backend) {
    let app = TestApp::spawn_with(backend, SMALL_CAP).await;
    let user = app.new_user().await;
    let other = app.new_browser().new_user().await;
    let first = app.create_key(user.bearer(), "first").await;
    for name in ["second", "third"] {
        app.create_key(user.bearer(), name).await;
    }

    let response = app.try_create_key(user.bearer(), "fourth").await;
    expect_error(response, StatusCode::CONFLICT, "key_limit_reached").await;
    assert_eq!(
        app.keys(user.bearer()).await.len(),
        3,
        "nothing was created"
    );
    // The cap is per user.
    app.create_key(other.bearer(), "someone else's").await;

    // Revoked keys do not count: revoking one makes room for one.
    expect_no_content(app.try_delete_key(user.bearer(), first.id).await).await;
    app.create_key(user.bearer(), "fourth").await;
    let response = app.try_create_key(user.bearer(), "fifth").await;
    expect_error(response, StatusCode::CONFLICT, "key_limit_reached").await;
}

async fn concurrent_creations_never_pass_the_cap(backend: Backend) {
    const ATTEMPTS: usize = 30;
    let app = TestApp::spawn_with(backend, SMALL_CAP).await;
    let user = app.new_user().await;
    let (app, user) = (&app, &user);

    let statuses: Vec<StatusCode> = stream::iter(0..ATTEMPTS)
        .map(|n| async move {
            let response = app
                .try_create_key(user.bearer(), &format!("race {n}"))
                .await;
            response.status()
        })
        .buffer_unordered(ATTEMPTS)
        .collect()
        .await;

    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, refused), (3, ATTEMPTS - 3), "{statuses:?}");
    assert_eq!(app.keys(user.bearer()).await.len(), 3);
}

async fn key_pages_hold_1_to_200_keys(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for query in ["limit=0", "limit=201", "limit=-1", "before=abc", "page=2"] {
        let response = app.try_keys_page(user.bearer(), query).await;
        expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    }
}
