//! Sign-up sends a link that verifies the address; buying and keys wait for it when required.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    the_link_sent_at_sign_up_verifies_the_address_once,
    a_resent_link_supersedes_the_older_one_and_resends_are_limited,
    no_more_than_five_links_a_day,
    unverified_accounts_cannot_buy_or_make_keys_when_verification_is_required,
    bad_tokens_are_refused_alike
);

const REQUIRED: &[(&str, &str)] = &[("REQUIRE_VERIFIED_EMAIL", "true")];

async fn the_link_sent_at_sign_up_verifies_the_address_once(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    assert!(!app.me(user.bearer()).await.email_verified);

    let email = app.mailbox().wait_for(&user.email, VERIFY_SUBJECT).await;
    assert!(email.html.contains("Verify email"), "a call to action");
    assert!(email.text.contains("expires in 24 hours"), "{}", email.text);
    let token = email.token_for("verify-email");
    expect_no_content(app.try_verify_email(&token).await).await;
    assert!(app.me(user.bearer()).await.email_verified);

    let again = app.try_verify_email(&token).await;
    expect_error(again, StatusCode::BAD_REQUEST, "invalid_token").await;
}

async fn a_resent_link_supersedes_the_older_one_and_resends_are_limited(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let first = app.verification_token(&user.email).await;

    // The sign-up's email counts: a minute must pass before another.
    let too_soon = app.try_resend_verification(user.bearer()).await;
    let error = expect_error(too_soon, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(error.message.contains("retry in"), "{error:?}");
    app.age_email_tokens(user.id, 61);

    let resent: shared::dto::Accepted = expect_json(
        app.try_resend_verification(user.bearer()).await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert!(resent.message.contains("on its way"), "{resent:?}");
    let second = app
        .nth_token(&user.email, VERIFY_SUBJECT, "verify-email", 2)
        .await;
    assert_ne!(first, second);
    let stale = app.try_verify_email(&first).await;
    expect_error(stale, StatusCode::BAD_REQUEST, "invalid_token").await;
    expect_no_content(app.try_verify_email(&second).await).await;

    let done: shared::dto::Accepted = expect_json(
        app.try_resend_verification(user.bearer()).await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert!(done.message.contains("verified already"), "{done:?}");
}

async fn no_more_than_five_links_a_day(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    // The sign-up's link and four more, each a minute after the one before...
    for _ in 0..4 {
        app.age_email_tokens(user.id, 61);
        let resent = app.try_resend_verification(user.bearer()).await;
        assert_eq!(resent.status(), StatusCode::ACCEPTED);
    }
    // ...and the sixth waits for the first to be a day old, however long since the last.
    app.age_email_tokens(user.id, 3600);
    let sixth = app.try_resend_verification(user.bearer()).await;
    let retry_after: u64 = expect_header(&sixth, "retry-after")
        .parse()
        .expect("Retry-After in seconds");
    expect_error(sixth, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(
        retry_after > 3600,
        "{retry_after} s: a day's window, not a minute's"
    );
}

async fn unverified_accounts_cannot_buy_or_make_keys_when_verification_is_required(
    backend: Backend,
) {
    let app = TestApp::spawn_with_mail(backend, REQUIRED).await;
    let user = app.new_user().await;

    let key = app.try_create_key(user.bearer(), "ci").await;
    expect_error(key, StatusCode::FORBIDDEN, "email_not_verified").await;
    let buy = app.try_buy(user.bearer(), "starter").await;
    expect_error(buy, StatusCode::FORBIDDEN, "email_not_verified").await;
    // Signed in, the dashboard still works.
    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.keys(user.bearer()).await.is_empty());

    let token = app.verification_token(&user.email).await;
    expect_no_content(app.try_verify_email(&token).await).await;
    app.create_key(user.bearer(), "ci").await;
    assert!(app.buy(user.bearer(), "starter").await > 0);
}

async fn bad_tokens_are_refused_alike(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;
    let token = app.verification_token(&user.email).await;
    let mut tampered = token.clone();
    tampered.replace_range(..1, if token.starts_with('a') { "b" } else { "a" });

    for bad in [tampered.as_str(), "", "not-a-token", &"x".repeat(10_000)] {
        let response = app.try_verify_email(bad).await;
        expect_error(response, StatusCode::BAD_REQUEST, "invalid_token").await;
    }
    // A token of another purpose is unknown here.
    let reset = app.try_confirm_reset(&token, "a brand new password").await;
    expect_error(reset, StatusCode::BAD_REQUEST, "invalid_token").await;
    // Expired.
    app.expire_email_tokens(user.id);
    let expired = app.try_verify_email(&token).await;
    expect_error(expired, StatusCode::BAD_REQUEST, "invalid_token").await;
    assert!(!app.me(user.bearer()).await.email_verified);
}
