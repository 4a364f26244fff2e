//! Changing the address: a link to the new one makes the change, the old one is told, and a
//! taken address is refused only when the link is followed.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    the_link_sent_to_the_new_address_changes_it,
    an_address_taken_meanwhile_is_refused_at_confirmation,
    a_change_needs_the_password_and_a_new_valid_address
);

async fn the_link_sent_to_the_new_address_changes_it(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let new_email = unique_email();

    let response = app
        .try_change_email(user.bearer(), &new_email, PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let notice = app.mailbox().wait_for(&user.email, "about to change").await;
    assert!(notice.text.contains(&new_email), "{}", notice.text);
    assert_eq!(app.me(user.bearer()).await.email, user.email, "not yet");

    let token = app
        .nth_token(&new_email, CHANGE_SUBJECT, "confirm-email", 1)
        .await;
    expect_no_content(app.try_confirm_email_change(&token).await).await;
    let me = app.me(user.bearer()).await;
    assert_eq!(me.email, new_email);
    assert!(me.email_verified);
    app.mailbox()
        .wait_for(&user.email, "email was changed")
        .await;
    app.new_browser().login(&new_email, PASSWORD).await;
    let old = app.new_browser().try_login(&user.email, PASSWORD).await;
    expect_error(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let again = app.try_confirm_email_change(&token).await;
    expect_error(again, StatusCode::BAD_REQUEST, "invalid_token").await;
}

async fn an_address_taken_meanwhile_is_refused_at_confirmation(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let wanted = unique_email();
    let response = app.try_change_email(user.bearer(), &wanted, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "nothing revealed yet"
    );
    let token = app
        .nth_token(&wanted, CHANGE_SUBJECT, "confirm-email", 1)
        .await;
    app.new_browser().signup(&wanted, PASSWORD).await;

    let taken = app.try_confirm_email_change(&token).await;
    expect_error(taken, StatusCode::CONFLICT, "email_taken").await;
    assert_eq!(app.me(user.bearer()).await.email, user.email);
}

async fn a_change_needs_the_password_and_a_new_valid_address(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let other = unique_email();

    let wrong = app
        .try_change_email(user.bearer(), &other, "not my password")
        .await;
    expect_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let same = app
        .try_change_email(user.bearer(), &user.email, PASSWORD)
        .await;
    expect_validation_error(same, "new_email").await;
    let malformed = app.try_change_email(user.bearer(), "nope", PASSWORD).await;
    expect_validation_error(malformed, "new_email").await;
    let key = app.create_key(user.bearer(), "script").await;
    let by_key = app
        .try_change_email(Auth::Key(&key.key), &other, PASSWORD)
        .await;
    expect_error(by_key, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(app.mailbox().emails_to(&other).await.is_empty());
}
