//! Who a request is counted as: sign-in attempts per client IP, where a forged X-Forwarded-For
//! does not reset the count unless TRUST_PROXY is on; the rest of the API per user once their
//! token or key is verified (however the `Bearer` scheme is written), and per client otherwise,
//! an IPv6 client by its /64, so that made-up keys or addresses do not buy fresh quotas.

use std::net::{IpAddr, Ipv4Addr};

use reqwest::{Method, StatusCode, header};

use crate::helpers::*;

const PER_MINUTE: usize = 3;
const ATTEMPTS: usize = 10;
/// The API quota of the tests below that count API calls.
const API_QUOTA: (&str, &str) = ("RATE_LIMIT_API_PER_MINUTE", "5");
const API_PER_MINUTE: usize = 5;
const LIMITS_ON: (&str, &str) = ("RATE_LIMIT_ENABLED", "true");
const JUNK_SENDER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
const NEIGHBOUR: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));

both_backends!(
    login_brute_force_gets_429_with_retry_after,
    junk_keys_are_counted_per_client_address,
    any_case_of_bearer_counts_in_the_users_bucket,
    ipv6_clients_are_counted_per_64,
);

async fn login_brute_force_gets_429_with_retry_after(backend: Backend) {
    let settings = [LIMITS_ON, ("RATE_LIMIT_AUTH_PER_MINUTE", "3")];
    let app = TestApp::spawn_with(backend, &settings).await;
    let email = unique_email();

    let mut limited = 0;
    for attempt in 0..ATTEMPTS {
        let response = app
            .request(Method::POST, "/api/auth/login", Auth::None)
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

/// Each made-up key used to get a bucket of its own: a client sending a new one each time was
/// never limited.
async fn junk_keys_are_counted_per_client_address(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[LIMITS_ON, API_QUOTA]).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "script").await.key;
    let sender = app.browser_at(JUNK_SENDER);

    for attempt in 0..=API_PER_MINUTE {
        let junk = format!("sk_made_up_{attempt}");
        let response = sender.try_me(Auth::Key(&junk)).await;
        let refused = (StatusCode::UNAUTHORIZED, "unauthorized");
        expect_error_within_quota(&junk, attempt, API_PER_MINUTE, response, refused).await;
    }

    // The count is the sender's: another address is not limited, and a real key sent from the
    // limited address counts under its owner.
    let neighbour = app.browser_at(NEIGHBOUR);
    let response = neighbour.try_me(Auth::Key("sk_made_up_elsewhere")).await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(sender.me(Auth::Key(&key)).await.id, user.id);
}

/// The limiter read `Bearer` only in that case while the extractor accepts any: a user writing
/// `bearer` spent the quota of their address, not their own.
async fn any_case_of_bearer_counts_in_the_users_bucket(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[LIMITS_ON, API_QUOTA]).await;
    let user = app.new_user().await;
    let schemes = ["Bearer", "bearer", "BEARER", "bEaReR", "bearer"];
    assert_eq!(schemes.len(), API_PER_MINUTE);

    for scheme in schemes {
        let response = me_with_scheme(&app, scheme, &user.token).await;
        expect_json::<shared::dto::User>(response, StatusCode::OK).await;
    }
    let response = me_with_scheme(&app, "Bearer", &user.token).await;
    expect_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // The user's bucket, not the address's: another user at the same address is not limited.
    let other = app.new_browser().new_user().await;
    app.me(other.bearer()).await;
}

async fn me_with_scheme(app: &TestApp, scheme: &str, token: &str) -> reqwest::Response {
    app.request(Method::GET, "/api/me", Auth::None)
        .header(header::AUTHORIZATION, format!("{scheme} {token}"))
        .send()
        .await
        .expect("the request did not reach the server")
}

/// One IPv6 subscriber holds a whole /64: counted per address, it had 2^64 quotas. An IPv4
/// address written as IPv6 (`::ffff:a.b.c.d`) is that IPv4 client.
async fn ipv6_clients_are_counted_per_64(backend: Backend) {
    let settings = [LIMITS_ON, API_QUOTA, ("TRUST_PROXY", "true")];
    let app = TestApp::spawn_with(backend, &settings).await;

    for i in 1..=API_PER_MINUTE {
        let address = format!("2001:db8:1:2::{i:x}");
        let response = anonymous_me_from(&app, &address).await;
        expect_error_for(&address, response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let response = anonymous_me_from(&app, "2001:db8:1:2:ffff:ffff:ffff:ffff").await;
    expect_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let response = anonymous_me_from(&app, "2001:db8:1:3::1").await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;

    for _ in 0..API_PER_MINUTE {
        let response = anonymous_me_from(&app, "203.0.113.9").await;
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let response = anonymous_me_from(&app, "::ffff:203.0.113.9").await;
    expect_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

/// `GET /api/me` without credentials, through a trusted proxy that saw `address`.
async fn anonymous_me_from(app: &TestApp, address: &str) -> reqwest::Response {
    app.request(Method::GET, "/api/me", Auth::None)
        .header("X-Forwarded-For", address)
        .send()
        .await
        .expect("the request did not reach the server")
}
