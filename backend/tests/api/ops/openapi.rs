//! The OpenAPI document describes the whole contract; the docs page renders it.

use reqwest::{StatusCode, header};
use serde_json::Value;

use crate::helpers::*;

/// Every path of the v1 contract (path parameters written `{}`).
const CONTRACT_PATHS: &[&str] = &[
    "/api/auth/signup",
    "/api/auth/login",
    "/api/auth/token",
    "/api/auth/refresh",
    "/api/auth/logout",
    "/api/auth/logout-all",
    "/api/me",
    "/api/me/password",
    "/api/keys",
    "/api/keys/{}",
    "/api/credits",
    "/api/credits/ledger",
    "/api/credits/usage",
    "/api/credits/packages",
    "/api/credits/purchase",
    "/api/generate-text",
    "/api/generate-story",
    "/api/admin/users",
    "/api/admin/users/{}/credits",
    "/api/admin/users/{}",
    "/api/attachments/{}",
    "/api/attachments/{}/link",
    "/api/attachment-links/{}",
];

both_backends!(openapi_document_lists_every_route, docs_page_is_html);

async fn openapi_document_lists_every_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let document: Value = expect_json(
        app.get("/api/openapi.json", Auth::None).await,
        StatusCode::OK,
    )
    .await;

    let version = document["openapi"].as_str().unwrap_or_default();
    assert!(
        version.starts_with("3."),
        "an OpenAPI 3 document, got {version:?}"
    );
    let paths: Vec<String> = document["paths"]
        .as_object()
        .expect("a paths object")
        .keys()
        .map(|path| without_parameter_names(path))
        .collect();
    for expected in CONTRACT_PATHS {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} is not documented: {paths:?}"
        );
    }
}

async fn docs_page_is_html(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let response = app.get("/api/docs", Auth::None).await;

    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let content_type = content_type.and_then(|v| v.to_str().ok().map(str::to_owned));
    assert!(content_type.unwrap_or_default().starts_with("text/html"));
}

/// `/api/keys/{key_id}` -> `/api/keys/{}`.
fn without_parameter_names(path: &str) -> String {
    let mut out = String::new();
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                out.push('{');
            }
            '}' => {
                in_parameter = false;
                out.push('}');
            }
            _ if in_parameter => {}
            _ => out.push(c),
        }
    }
    out
}
