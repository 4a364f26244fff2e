//! Production mode: no free credits without a payment provider, and a Secure refresh cookie.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    prod_without_stripe_refuses_purchases_with_503,
    prod_refresh_cookie_is_secure
);

/// Production refuses a bcrypt cost under 10 (the lowest it allows keeps these tests quick).
const PROD: &[(&str, &str)] = &[("APP_MODE", "prod"), ("BCRYPT_COST", "10")];

async fn prod_without_stripe_refuses_purchases_with_503(backend: Backend) {
    let app = TestApp::spawn_with(backend, PROD).await;
    let user = app.new_user().await;

    let response = app.try_buy(user.bearer(), "starter").await;
    expect_error(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "payments_unavailable",
    )
    .await;

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
}

async fn prod_refresh_cookie_is_secure(backend: Backend) {
    let app = TestApp::spawn_with(backend, PROD).await;

    let response = app.try_signup(&unique_email(), PASSWORD).await;

    let cookie = RefreshCookie::of(&response).expect("signup sets the refresh cookie");
    assert!(
        cookie.secure && cookie.http_only && cookie.same_site_strict,
        "{cookie:?}"
    );
}
