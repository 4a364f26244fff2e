//! The typed client against a fake `fetch`: an expired access token is refreshed once and the
//! call retried; concurrent failures share one refresh (refresh tokens rotate: two refreshes
//! would revoke the session); a failed refresh signs out.

use frontend::{api, store, store::Session};
use shared::dto::{ErrorCode, PageQuery};
use wasm_bindgen_test::wasm_bindgen_test;

use super::support::{fake_fetch, fetch_calls, token};

/// A server where only the token "fresh" is valid and the refresh cookie yields it.
fn server_accepting_fresh_tokens() {
    let refreshed = serde_json::to_string(&token("fresh", 7)).unwrap();
    fake_fetch(&format!(
        r#"(method, path, auth) => {{
            if (path === "/api/auth/refresh") return [200, {refreshed:?}];
            if (auth !== "Bearer fresh")
                return [401, '{{"error":{{"code":"unauthorized","message":"token expired"}}}}'];
            if (path === "/api/credits") return [200, '{{"credits":7}}'];
            if (path === "/api/keys") return [200, '[]'];
            return [404, '{{"error":{{"code":"not_found","message":"route not found"}}}}'];
        }}"#
    ));
}

#[wasm_bindgen_test]
async fn an_expired_token_is_refreshed_once_and_the_call_retried() {
    server_accepting_fresh_tokens();
    store::signed_in(token("stale", 3));

    let balance = api::balance().await.expect("the retried call succeeds");

    assert_eq!(balance.credits, 7);
    assert_eq!(
        fetch_calls(),
        [
            "GET /api/credits Bearer stale",
            "POST /api/auth/refresh",
            "GET /api/credits Bearer fresh",
        ]
    );
    assert_eq!(store::current().access_token(), Some("fresh"));
    assert_eq!(store::current().user().unwrap().credits, 7);
}

#[wasm_bindgen_test]
async fn concurrent_expired_calls_share_one_refresh() {
    server_accepting_fresh_tokens();
    store::signed_in(token("stale", 3));

    let (a, b) = futures::join!(api::balance(), api::keys(PageQuery::default()));

    assert!(a.is_ok() && b.is_ok());
    let refreshes = fetch_calls()
        .iter()
        .filter(|c| c.starts_with("POST /api/auth/refresh"))
        .count();
    assert_eq!(refreshes, 1, "calls: {:?}", fetch_calls());
}

#[wasm_bindgen_test]
async fn a_refused_refresh_signs_out() {
    fake_fetch(
        r#"() => [401, '{"error":{"code":"unauthorized","message":"your session has expired or was signed out: sign in again"}}']"#,
    );
    store::signed_in(token("stale", 3));

    let error = api::balance().await.unwrap_err();

    assert!(error.is_unauthorized());
    assert_eq!(*store::current(), Session::SignedOut);
    assert_eq!(fetch_calls().len(), 2, "one call, one refresh, no loop");
}

#[wasm_bindgen_test]
async fn public_calls_send_no_token_and_decode_the_contract_error() {
    fake_fetch(
        r#"(method, path, auth, body) => [409, '{"error":{"code":"email_taken","message":"an account with this email already exists","field":"email"}}']"#,
    );
    store::signed_in(token("t", 0));
    let credentials = shared::dto::Credentials {
        email: "ada@example.com".into(),
        password: "correct horse".into(),
    };

    let error = api::sign_up(&credentials).await.unwrap_err();

    assert_eq!(error.status, 409);
    assert_eq!(error.code, ErrorCode::EmailTaken);
    assert_eq!(error.field.as_deref(), Some("email"));
    assert_eq!(fetch_calls(), ["POST /api/auth/signup"]);
}

#[wasm_bindgen_test]
async fn restoring_a_session_uses_the_refresh_cookie() {
    server_accepting_fresh_tokens();
    store::signed_in(token("old", 1));
    store::signed_out();
    // A previous visit left the hint; the cookie itself is invisible to script.
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(store::SESSION_HINT_KEY, "1")
        .unwrap();

    api::restore_session().await;

    assert_eq!(store::current().access_token(), Some("fresh"));
    assert_eq!(fetch_calls(), ["POST /api/auth/refresh"]);
}
