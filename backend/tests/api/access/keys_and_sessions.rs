//! An API key reaches the read and paid routes, never the session-only ones: a leaked key must
//! not mint keys, spend money, change the password or administer.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    api_keys_reach_read_and_paid_routes,
    api_keys_are_refused_on_session_only_routes
);

async fn api_keys_reach_read_and_paid_routes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(5).await;
    let key = app.create_key(user.bearer(), "script").await;

    for route in Route::key_friendly() {
        let response = app.call(&route, Auth::Key(&key.key)).await;
        let status = response.status();
        assert!(
            status.is_success(),
            "{} {} by key: {status}",
            route.method,
            route.path
        );
    }
    // A credit for the text, a credit for the story (of 100 words at most).
    assert_eq!(
        app.balance(user.bearer()).await,
        3,
        "the paid routes charged the key's organisation"
    );
}

async fn api_keys_are_refused_on_session_only_routes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let target = app.new_browser().new_user().await;
    let key = app.create_key(admin.bearer(), "leaked").await;

    let routes = [Route::session_only(key.id), Route::admin_only(target.id)].concat();
    for route in &routes {
        let response = app.call(route, Auth::Key(&key.key)).await;
        let case = format!("key on {} {}", route.method, route.path);
        expect_error_for(&case, response, StatusCode::FORBIDDEN, "forbidden").await;
    }

    // Nothing happened: one key, no credits, same password, session alive, target untouched.
    assert_eq!(app.keys(admin.bearer()).await.len(), 1);
    assert_eq!(app.balance(admin.bearer()).await, 0);
    app.new_browser().login(&admin.email, PASSWORD).await;
    assert_eq!(
        app.balance(Auth::Key(&key.key)).await,
        0,
        "the key was not revoked"
    );
    assert_eq!(
        app.balance(target.bearer()).await,
        0,
        "the target is active and got nothing"
    );
}
