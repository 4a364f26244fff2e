//! Every class of malformed body gets its 4xx JSON error on every JSON route, and writes
//! nothing (checked through the API).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

both_backends!(
    malformed_signups_create_no_account,
    malformed_logins_are_json_errors,
    malformed_key_requests_create_no_key,
    malformed_purchases_change_no_balance,
    malformed_paid_calls_cost_nothing,
    malformed_password_changes_keep_the_password,
    malformed_admin_requests_change_nothing,
);

async fn malformed_signups_create_no_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = unique_email();
    let valid = json!({ "email": email, "password": PASSWORD });

    reject_all(&app, Method::POST, "/api/auth/signup", Auth::None, &valid).await;

    app.signup(&email, PASSWORD).await; // the email is still free
}

async fn malformed_logins_are_json_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let valid = json!({ "email": user.email, "password": PASSWORD });

    let browser = app.new_browser();
    reject_all(
        &browser,
        Method::POST,
        "/api/auth/login",
        Auth::None,
        &valid,
    )
    .await;

    expect_error(
        browser.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn malformed_key_requests_create_no_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    reject_all(
        &app,
        Method::POST,
        "/api/keys",
        user.bearer(),
        &json!({ "name": "ci" }),
    )
    .await;

    assert!(app.keys(user.bearer()).await.is_empty());
}

async fn malformed_purchases_change_no_balance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let valid = json!({ "package_id": "starter" });

    reject_all(
        &app,
        Method::POST,
        "/api/credits/purchase",
        user.bearer(),
        &valid,
    )
    .await;

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
}

async fn malformed_paid_calls_cost_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(3).await;
    let ledger = app.ledger(user.bearer()).await;
    let valid = json!({ "prompt": "hello" });

    reject_all(
        &app,
        Method::POST,
        "/api/generate-text",
        user.bearer(),
        &valid,
    )
    .await;

    assert_eq!(app.balance(user.bearer()).await, 3);
    assert_eq!(
        app.ledger(user.bearer()).await,
        ledger,
        "nothing was charged, so nothing was refunded"
    );
}

async fn malformed_password_changes_keep_the_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let valid = json!({ "current_password": PASSWORD, "new_password": "a brand new password" });

    reject_all(
        &app,
        Method::POST,
        "/api/me/password",
        user.bearer(),
        &valid,
    )
    .await;

    app.me(user.bearer()).await;
    app.new_browser().login(&user.email, PASSWORD).await;
}

async fn malformed_admin_requests_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user().await;
    let grant = format!("/api/admin/users/{}/credits", user.id);
    let update = format!("/api/admin/users/{}", user.id);

    let valid_grant = json!({ "amount": 5, "reason": "gift" });
    reject_all(&app, Method::POST, &grant, admin.bearer(), &valid_grant).await;
    // Both fields of an update are optional, so no field can be missing.
    let valid_update = json!({ "is_active": false });
    let cases = Malformed::ALL_BUT_MISSING_FIELD;
    assert_rejects_malformed(
        &app,
        Method::PATCH,
        &update,
        admin.bearer(),
        &valid_update,
        &cases,
    )
    .await;

    let me = app.me(user.bearer()).await;
    assert_eq!((me.credits, me.is_active), (0, true));
}

async fn reject_all(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Auth<'_>,
    valid: &serde_json::Value,
) {
    assert_rejects_malformed(app, method, path, auth, valid, &Malformed::ALL).await;
}
