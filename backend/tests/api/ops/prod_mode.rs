//! Production mode: no free credits without a payment provider, and a Secure refresh cookie.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    prod_without_stripe_refuses_purchases_with_503,
    prod_refresh_cookie_is_secure
);

async fn prod_without_stripe_refuses_purchases_with_503(backend: Backend) {
    let app = TestApp::spawn_with(backend, PROD_MODE).await;
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
    let app = TestApp::spawn_with(backend, PROD_MODE).await;

    let response = app.try_signup(&unique_email(), PASSWORD).await;

    let cookie = RefreshCookie::of(&response).expect("signup sets the refresh cookie");
    assert!(
        cookie.secure && cookie.http_only && cookie.same_site_strict,
        "{cookie:?}"
    );
}
