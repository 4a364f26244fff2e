//! A disabled account is refused everywhere, at once, by token, by key and by refresh cookie.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(disabled_users_are_refused_everywhere_at_once);

async fn disabled_users_are_refused_everywhere_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let browser = app.new_browser();
    let user = browser.new_user_with_credits(5).await;
    let key = app.create_key(user.bearer(), "script").await;

    expect_json::<shared::dto::User>(
        app.try_set_active(admin.bearer(), user.id, false).await,
        StatusCode::OK,
    )
    .await;

    let by_token = [Route::key_friendly(), Route::session_only(key.id)].concat();
    for route in &by_token {
        let response = app.call(route, user.bearer()).await;
        let case = format!("token on {} {}", route.method, route.path);
        expect_error_for(&case, response, StatusCode::FORBIDDEN, "account_disabled").await;
    }
    for route in &Route::key_friendly() {
        let response = app.call(route, Auth::Key(&key.key)).await;
        let case = format!("key on {} {}", route.method, route.path);
        expect_error_for(&case, response, StatusCode::FORBIDDEN, "account_disabled").await;
    }
    let refresh = browser.try_refresh().await;
    expect_error_for(
        "refresh",
        refresh,
        StatusCode::FORBIDDEN,
        "account_disabled",
    )
    .await;

    // The right password says the account is disabled; a wrong one reveals nothing.
    let login = app.new_browser().try_login(&user.email, PASSWORD).await;
    expect_error_for("login", login, StatusCode::FORBIDDEN, "account_disabled").await;
    let wrong = app
        .new_browser()
        .try_login(&user.email, "not the password")
        .await;
    expect_error_for(
        "wrong password",
        wrong,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    // Nothing was spent or bought while disabled.
    let users: Vec<shared::dto::User> =
        expect_json(app.try_admin_users(admin.bearer()).await, StatusCode::OK).await;
    let after = users
        .iter()
        .find(|u| u.id == user.id)
        .expect("the user is listed");
    assert_eq!((after.credits, after.is_active), (5, false));
}
