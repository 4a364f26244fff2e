//! Key requests the contract refuses.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    a_sign_in_over_ten_minutes_old_needs_the_password_to_create_a_key,
    key_names_must_be_1_to_64_characters,
    revoking_another_users_key_is_404_and_leaves_it_working,
    revoking_an_unknown_or_malformed_id_is_404,
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
