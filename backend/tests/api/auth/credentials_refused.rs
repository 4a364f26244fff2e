//! Wrong or missing credentials on the auth routes.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    login_failures_look_the_same_for_unknown_email_and_wrong_password,
    token_form_refuses_a_wrong_password,
    token_form_refuses_json,
    refresh_without_a_valid_cookie_is_401,
);

async fn login_failures_look_the_same_for_unknown_email_and_wrong_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let browser = app.new_browser();

    let wrong_password = browser.try_login(&user.email, "not the password").await;
    assert!(
        RefreshCookie::of(&wrong_password).is_none(),
        "no cookie for a failed login"
    );
    let wrong_password = expect_error(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown_email = browser.try_login(&unique_email(), PASSWORD).await;
    let unknown_email = expect_error(
        unknown_email,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    assert_eq!(
        wrong_password, unknown_email,
        "the bodies reveal nothing about the account"
    );
    expect_error(
        browser.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn token_form_refuses_a_wrong_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let response = app.try_token_form(&user.email, "not the password").await;
    expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
}

async fn token_form_refuses_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let body = serde_json::json!({ "username": user.email, "password": PASSWORD });
    let response = app.post_json("/api/auth/token", &body, Auth::None).await;
    expect_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

async fn refresh_without_a_valid_cookie_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.new_user().await;

    let stranger = app.new_browser();
    expect_error(
        stranger.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let forged = app.try_refresh_with_cookie("not-a-refresh-token").await;
    expect_error(forged, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
