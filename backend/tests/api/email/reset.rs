//! Forgot password: a link valid 30 minutes sets a new one and signs every session out; the
//! request answers the same whether or not the account exists.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    a_reset_link_sets_the_password_and_signs_out_everywhere,
    an_unknown_address_gets_the_same_answer_and_no_email,
    a_reset_link_works_once_and_only_the_latest_works
);

const NEW_PASSWORD: &str = "a brand new password";

async fn a_reset_link_sets_the_password_and_signs_out_everywhere(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "kept").await;

    let accepted = app.password_reset(&user.email).await;
    let email = app.mailbox().wait_for(&user.email, RESET_SUBJECT).await;
    assert!(
        email.text.contains("expires in 30 minutes"),
        "{}",
        email.text
    );
    let token = email.token_for("reset-password");
    expect_no_content(app.try_confirm_reset(&token, NEW_PASSWORD).await).await;

    let old = app.try_login(&user.email, PASSWORD).await;
    expect_error(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.new_browser().login(&user.email, NEW_PASSWORD).await;
    // Every session and access token of the account is gone; its API keys are not.
    let refresh = app.try_refresh().await;
    expect_error(refresh, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let me = app.try_me(user.bearer()).await;
    expect_error(me, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.me(Auth::Key(&key.key)).await.id, user.id);
    // The link proved the address, and the owner is told.
    assert!(app.me(Auth::Key(&key.key)).await.email_verified);
    app.mailbox()
        .wait_for(&user.email, PASSWORD_CHANGED_SUBJECT)
        .await;
    assert!(accepted.message.contains("If an account uses this address"));
}

async fn an_unknown_address_gets_the_same_answer_and_no_email(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let nobody = unique_email();

    let known = app.try_password_reset(&user.email).await;
    let unknown = app.try_password_reset(&nobody).await;
    assert_eq!(known.status(), StatusCode::ACCEPTED);
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    assert_eq!(
        known.text().await.expect("a body"),
        unknown.text().await.expect("a body")
    );

    app.mailbox().wait_for(&user.email, RESET_SUBJECT).await;
    assert!(app.mailbox().emails_to(&nobody).await.is_empty());
    let malformed = app.try_password_reset("not an address").await;
    expect_validation_error(malformed, "email").await;
}

async fn a_reset_link_works_once_and_only_the_latest_works(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    app.password_reset(&user.email).await;
    let first = app.reset_token(&user.email).await;
    app.age_email_tokens(user.id, 61);
    app.password_reset(&user.email).await;
    let second = app
        .nth_token(&user.email, RESET_SUBJECT, "reset-password", 2)
        .await;

    let superseded = app.try_confirm_reset(&first, NEW_PASSWORD).await;
    expect_error(superseded, StatusCode::BAD_REQUEST, "invalid_token").await;
    let weak = app.try_confirm_reset(&second, "short").await;
    expect_validation_error(weak, "new_password").await;
    // Two confirmations at once: one sets the password, the other is refused.
    let (a, b) = tokio::join!(
        app.try_confirm_reset(&second, NEW_PASSWORD),
        app.try_confirm_reset(&second, "another new password")
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::NO_CONTENT, StatusCode::BAD_REQUEST]);
    let again = app.try_confirm_reset(&second, NEW_PASSWORD).await;
    expect_error(again, StatusCode::BAD_REQUEST, "invalid_token").await;
}
