//! The email flows against a fake `fetch`: "Change email" and "Resend email" show what the
//! server said, and following a link updates (or ends) this browser's session.

use frontend::{
    api,
    components::{
        ResendVerification,
        change_email_form::{ChangeEmailForm, ChangeEmailFormProps},
    },
    store,
    store::Session,
};
use shared::dto::{PasswordResetConfirm, TokenResponse};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlInputElement;

use super::support::{
    button, fake_fetch, fetch_calls, find, render, settle, text, token, type_into, user,
};

/// A session of a user whose address is not verified yet.
fn unverified(access_token: &str) -> TokenResponse {
    let mut token = token(access_token, 0);
    token.user.email_verified = false;
    token
}

#[wasm_bindgen_test]
async fn change_email_puts_a_wrong_password_by_its_field_then_shows_the_message() {
    store::signed_in(token("t", 0));
    fake_fetch(
        r#"(method, path, auth, body) => JSON.parse(body).current_password === "right"
            ? [202, '{"message":"Follow the link we sent to new@example.com to finish the change."}']
            : [401, '{"error":{"code":"invalid_credentials","message":"invalid email or password"}}']"#,
    );
    let root = render::<ChangeEmailForm>(ChangeEmailFormProps {
        current: "ada@example.com".into(),
    })
    .await;
    assert_eq!(
        text(
            &root
                .query_selector("label[for=new_email]")
                .unwrap()
                .unwrap()
        ),
        "New email"
    );

    type_into(&root, "new_email", "new@example.com");
    type_into(&root, "email_password", "wrong");
    button(&root, "Change email").click();
    settle().await;
    assert_eq!(
        text(&find(&root, "#email_password-error")),
        "The current password is not right"
    );
    // A wrong password is no expired token: no refresh, no second guess.
    assert_eq!(fetch_calls(), ["POST /api/me/email Bearer t"]);

    type_into(&root, "email_password", "right");
    button(&root, "Change email").click();
    settle().await;
    assert_eq!(
        text(&find(&root, "[data-testid=change-email-sent]")),
        "Follow the link we sent to new@example.com to finish the change."
    );
    let new_email: HtmlInputElement = find(&root, "#new_email").dyn_into().unwrap();
    assert_eq!(new_email.value(), "", "the form is emptied");
}

#[wasm_bindgen_test]
async fn resend_email_shows_the_answer_or_when_to_retry() {
    store::signed_in(unverified("t"));
    fake_fetch(
        r#"(() => { let calls = 0; return () => ++calls === 1
            ? [202, '{"message":"A new verification link is on its way."}']
            : [429, '{"error":{"code":"rate_limited","message":"too many requests: retry in 42 s"}}']; })()"#,
    );
    let root = render::<ResendVerification>(()).await;
    let outcome = find(&root, "[data-testid=resend-outcome]");
    assert_eq!(outcome.get_attribute("role").as_deref(), Some("status"));

    button(&root, "Resend email").click();
    settle().await;
    assert_eq!(text(&outcome), "A new verification link is on its way.");

    button(&root, "Resend email").click();
    settle().await;
    assert_eq!(text(&outcome), "Too many requests: retry in 42 s");
    assert_eq!(
        fetch_calls(),
        [
            "POST /api/auth/resend-verification Bearer t",
            "POST /api/auth/resend-verification Bearer t",
        ]
    );
}

#[wasm_bindgen_test]
async fn a_verification_link_reloads_the_signed_in_profile() {
    let now = serde_json::to_string(&user(0)).unwrap();
    fake_fetch(&format!(
        r#"(method, path) => path === "/api/me" ? [200, {now:?}] : [204, ""]"#
    ));
    store::signed_in(unverified("t"));

    api::verify_email("the-token").await.unwrap();

    assert!(store::current().user().unwrap().email_verified);
    assert_eq!(
        fetch_calls(),
        ["POST /api/auth/verify-email", "GET /api/me Bearer t"]
    );
}

#[wasm_bindgen_test]
async fn a_password_reset_ends_the_session_the_server_revoked() {
    fake_fetch(
        r#"(method, path) => path === "/api/auth/refresh"
            ? [401, '{"error":{"code":"unauthorized","message":"your session has expired or was signed out: sign in again"}}']
            : [204, ""]"#,
    );
    store::signed_in(token("t", 0));
    let request = PasswordResetConfirm {
        token: "the-token".into(),
        new_password: "a new password".into(),
    };

    api::confirm_password_reset(&request).await.unwrap();

    assert_eq!(*store::current(), Session::SignedOut);
    assert_eq!(
        fetch_calls(),
        [
            "POST /api/auth/password-reset/confirm",
            "POST /api/auth/refresh"
        ]
    );
}
