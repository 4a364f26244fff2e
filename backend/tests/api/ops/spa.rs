//! The built SPA from `STATIC_DIR`: `index.html` for client-side routes, never cached; hashed
//! assets cached for a year; `/api` paths stay JSON. Without a build, the API still runs.

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::ErrorBody;

use crate::helpers::*;

const CACHE_CONTROL: &str = "Cache-Control";
/// A content-hashed script that is not in the build.
const MISSING_HASHED_ASSET: &str = "/app-fedcba9876543210.js";

both_backends!(
    client_routes_get_the_index_uncached,
    hashed_assets_are_cached_for_a_year,
    a_missing_hashed_asset_is_not_cached_as_the_index,
    api_paths_and_other_methods_never_get_the_index,
    without_a_build_only_the_api_is_served
);

async fn client_routes_get_the_index_uncached(backend: Backend) {
    let spa = SpaBuild::new();
    let app = TestApp::spawn_with(backend, &[("STATIC_DIR", &spa.static_dir())]).await;

    for path in ["/dashboard", "/keys/123", "/"] {
        let (body, cache_control) = text_and_cache_control(&app, path).await;
        assert_eq!(body, SpaBuild::INDEX_HTML, "{path}");
        assert!(
            cache_control.contains("no-cache"),
            "{path}: {cache_control}"
        );
    }
    let (body, cache_control) = text_and_cache_control(&app, SpaBuild::PLAIN_FILE).await;
    assert_eq!(body, SpaBuild::PLAIN_FILE_BODY);
    assert!(
        cache_control.contains("no-cache") && !cache_control.contains("immutable"),
        "a file without a hash may change with a deploy: {cache_control}"
    );
}

async fn hashed_assets_are_cached_for_a_year(backend: Backend) {
    let spa = SpaBuild::new();
    let app = TestApp::spawn_with(backend, &[("STATIC_DIR", &spa.static_dir())]).await;

    let (body, cache_control) = text_and_cache_control(&app, SpaBuild::HASHED_ASSET).await;

    assert_eq!(body, SpaBuild::HASHED_ASSET_BODY);
    assert!(
        cache_control.contains("max-age=31536000") && cache_control.contains("immutable"),
        "{cache_control}"
    );
}

/// A script a deploy removed is not a client route: answering it with the index cached as
/// immutable would break the page for a year for whoever asked, should the deploy be rolled back.
async fn a_missing_hashed_asset_is_not_cached_as_the_index(backend: Backend) {
    let spa = SpaBuild::new();
    let app = TestApp::spawn_with(backend, &[("STATIC_DIR", &spa.static_dir())]).await;

    let response = app.get(MISSING_HASHED_ASSET, Auth::None).await;

    let status = response.status();
    let cache_control = header_value(&response, CACHE_CONTROL).unwrap_or_default();
    let body = response.text().await.expect("a body");
    assert!(
        !(body == SpaBuild::INDEX_HTML && cache_control.contains("immutable")),
        "GET {MISSING_HASHED_ASSET}: {status} with the index and Cache-Control: {cache_control}"
    );
}

async fn api_paths_and_other_methods_never_get_the_index(backend: Backend) {
    let spa = SpaBuild::new();
    let app = TestApp::spawn_with(backend, &[("STATIC_DIR", &spa.static_dir())]).await;

    for path in ["/api/whatever", "/api/keys/1/extra"] {
        let response = app.get(path, Auth::None).await;
        expect_error_for(path, response, StatusCode::NOT_FOUND, "not_found").await;
    }
    for path in ["/dashboard", "/"] {
        let response = app.post_json(path, &json!({}), Auth::None).await;
        let status = response.status();
        let body = response.text().await.expect("a body");
        assert!(
            status.is_client_error() && serde_json::from_str::<ErrorBody>(&body).is_ok(),
            "POST {path}: expected a 4xx JSON error, got {status}: {body}"
        );
    }
}

async fn without_a_build_only_the_api_is_served(backend: Backend) {
    let empty = TempDir::new("no-spa");
    let missing = empty.path().join("dist").display().to_string();
    let app = TestApp::spawn_with(backend, &[("STATIC_DIR", &missing)]).await;

    for path in ["/", "/dashboard"] {
        let response = app.get(path, Auth::None).await;
        expect_error_for(path, response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let user = app.new_user().await;
    assert_eq!(app.me(user.bearer()).await.id, user.id);
}

/// GETs `path`, asserts a 200, and returns the body and the Cache-Control header.
async fn text_and_cache_control(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path, Auth::None).await;
    let cache_control = header_value(&response, CACHE_CONTROL).unwrap_or_default();
    (expect_text(response, StatusCode::OK).await, cache_control)
}
