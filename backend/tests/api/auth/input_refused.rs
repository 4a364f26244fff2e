//! Sign-ups the contract refuses, and proof that none of them created an account.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    signup_refuses_malformed_emails_naming_the_field,
    signup_refuses_passwords_under_8_characters_or_over_72_bytes,
    signup_accepts_passwords_at_the_length_bounds,
    signup_with_a_taken_email_in_any_case_is_409,
);

async fn signup_refuses_malformed_emails_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let too_long = format!("{}@example.com", "a".repeat(64).repeat(4));
    for email in [
        "",
        "nope",
        "ada@",
        "@example.com",
        "ada@example",
        "a da@example.com",
        &too_long,
    ] {
        expect_validation_error(app.try_signup(email, PASSWORD).await, "email").await;
    }
}

async fn signup_refuses_passwords_under_8_characters_or_over_72_bytes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = unique_email();

    // bcrypt reads 72 bytes and ignores the rest: a longer password would be a shorter one.
    for password in ["", "seven77", &"p".repeat(73), &"é".repeat(37)] {
        expect_validation_error(app.try_signup(&email, password).await, "password").await;
    }

    // None of the refusals created the account: the email is still free.
    app.signup(&email, PASSWORD).await;
}

async fn signup_accepts_passwords_at_the_length_bounds(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Eight characters at least (eight 'é' are sixteen bytes), 72 bytes at most.
    for password in [
        "eight888".to_owned(),
        "é".repeat(8),
        "p".repeat(72),
        "é".repeat(36),
    ] {
        let email = unique_email();
        app.signup(&email, &password).await;
        app.new_browser().login(&email, &password).await;
    }
}

async fn signup_with_a_taken_email_in_any_case_is_409(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let again = app
        .new_browser()
        .try_signup(&user.email.to_uppercase(), "another password")
        .await;
    expect_error(again, StatusCode::CONFLICT, "email_taken").await;

    // The account is untouched: the first password still works, the second does not.
    app.new_browser().login(&user.email, PASSWORD).await;
    let wrong = app
        .new_browser()
        .try_login(&user.email, "another password")
        .await;
    expect_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
}
