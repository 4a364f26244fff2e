//! Changing the password: what it revokes, what it keeps, and what it refuses.

use reqwest::StatusCode;

use crate::helpers::*;

const NEW_PASSWORD: &str = "a brand new password";

both_backends!(
    password_change_revokes_other_sessions_but_keeps_the_callers,
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
