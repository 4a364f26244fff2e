//! Changing the password: what it revokes, what it keeps, and what it refuses.

use reqwest::StatusCode;
use shared::dto::ChangePasswordRequest;

use crate::helpers::*;

const NEW_PASSWORD: &str = "a brand new password";

both_backends!(
    password_change_revokes_other_sessions_but_keeps_the_callers,
    password_change_revokes_every_api_key_when_asked,
    wrong_current_password_is_401_and_changes_nothing,
    weak_new_password_names_the_field_and_changes_nothing,
);

async fn password_change_revokes_other_sessions_but_keeps_the_callers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let (laptop, laptop_token) = app.sign_in_elsewhere(&user).await;

    let response = app
        .try_change_password(user.bearer(), PASSWORD, NEW_PASSWORD)
        .await;
    expect_no_content(response).await;

    // Every access token issued before the change is dead, the caller's included.
    for token in [&user.token, &laptop_token] {
        let response = app.try_me(Auth::Bearer(token)).await;
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // The other session is over; the caller's own session continues through a refresh.
    expect_error(
        laptop.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let tokens = app.refresh().await;
    app.me(Auth::Bearer(&tokens.access_token)).await;

    // The new password signs in; the old one does not.
    app.new_browser().login(&user.email, NEW_PASSWORD).await;
    let old = app.new_browser().try_login(&user.email, PASSWORD).await;
    expect_error(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
}

/// Keys survive a password change unless the user asks: after a leak, the key a thief made is
/// what would outlast the new password.
async fn password_change_revokes_every_api_key_when_asked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "ci").await;
    expect_no_content(
        app.try_change_password(user.bearer(), PASSWORD, NEW_PASSWORD)
            .await,
    )
    .await;
    app.me(Auth::Key(&key.key)).await;

    let token = app.refresh().await.access_token;
    let body = ChangePasswordRequest {
        current_password: Some(NEW_PASSWORD.into()),
        new_password: PASSWORD.into(),
        revoke_api_keys: true,
    };
    let response = app
        .try_change_password_with(Auth::Bearer(&token), &body)
        .await;
    expect_no_content(response).await;
    let response = app.try_me(Auth::Key(&key.key)).await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn wrong_current_password_is_401_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let response = app
        .try_change_password(user.bearer(), "not the password", NEW_PASSWORD)
        .await;
    expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    assert_session_and_password_unchanged(&app, &user).await;
}

async fn weak_new_password_names_the_field_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for weak in ["short", &"p".repeat(129)] {
        let response = app.try_change_password(user.bearer(), PASSWORD, weak).await;
        expect_validation_error(response, "new_password").await;
    }

    assert_session_and_password_unchanged(&app, &user).await;
}

/// The token still works, and the original password still signs in.
async fn assert_session_and_password_unchanged(app: &TestApp, user: &TestUser) {
    app.me(user.bearer()).await;
    app.new_browser().login(&user.email, PASSWORD).await;
}
