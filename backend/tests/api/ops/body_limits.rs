//! The OAuth2 token form has its own, smaller limit (16 KiB, the JSON one is 64 KiB) and takes
//! only forms. (Oversized JSON bodies are covered with the other malformed bodies.)

use reqwest::{Method, StatusCode};

use crate::helpers::*;

/// Over the form limit, under the JSON one.
const OVERSIZED: usize = 20 * 1024;
const FORM: &str = "application/x-www-form-urlencoded";

both_backends!(token_form_refuses_oversized_and_non_form_bodies);

async fn token_form_refuses_oversized_and_non_form_bodies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let valid = format!(
        "username={}&password={}",
        user.email,
        PASSWORD.replace(' ', "+")
    );
    let oversized = format!("{valid}&padding={}", "a".repeat(OVERSIZED));

    for (case, content_type, body, status, code) in [
        (
            "oversized form",
            Some(FORM),
            oversized,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "form as text/plain",
            Some("text/plain"),
            valid.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "form without a Content-Type",
            None,
            valid.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ] {
        let response = app
            .send_raw(
                Method::POST,
                "/api/auth/token",
                content_type,
                body.into(),
                Auth::None,
            )
            .await;
        expect_error_for(case, response, status, code).await;
    }

    let response = app
        .send_raw(
            Method::POST,
            "/api/auth/token",
            Some(FORM),
            valid.into(),
            Auth::None,
        )
        .await;
    let tokens: shared::dto::TokenResponse = expect_json(response, StatusCode::OK).await;
    assert_eq!(
        tokens.user.id, user.id,
        "the same form within the limit signs in"
    );
}
