//! Sign-in attempts are limited per client IP; a forged X-Forwarded-For does not reset the
//! count unless TRUST_PROXY is on.

use reqwest::{StatusCode, header};

use crate::helpers::*;

const PER_MINUTE: usize = 3;
const ATTEMPTS: usize = 10;

both_backends!(login_brute_force_gets_429_with_retry_after);

async fn login_brute_force_gets_429_with_retry_after(backend: Backend) {
    let settings = [
        ("RATE_LIMIT_ENABLED", "true"),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "3"),
    ];
    let app = TestApp::spawn_with(backend, &settings).await;
    let email = unique_email();

    let mut limited = 0;
    for attempt in 0..ATTEMPTS {
        let response = app
            .request(reqwest::Method::POST, "/api/auth/login", Auth::None)
            .header("X-Forwarded-For", format!("203.0.113.{attempt}"))
            .json(&serde_json::json!({ "email": email, "password": "guessing" }))
            .send()
            .await
            .expect("sent");
        if attempt < PER_MINUTE {
            expect_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
        } else if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
            let seconds = retry_after.and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            assert!(
                seconds.is_some_and(|s| s > 0),
                "429 carries Retry-After in seconds"
            );
            expect_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
            limited += 1;
        }
    }
    assert!(
        limited > 0,
        "{ATTEMPTS} attempts at {PER_MINUTE} per minute were never limited"
    );
}
