//! CORS: none by default (the SPA is same-origin); `CORS_ORIGINS` opens the API to the listed
//! origins only, credentials included.

use reqwest::{Method, Response, header};

use crate::helpers::*;

const APP_ORIGIN: &str = "https://app.example.com";
const OTHER_ORIGIN: &str = "https://evil.example.com";

both_backends!(
    no_origin_is_allowed_by_default,
    only_the_configured_origins_are_allowed
);

async fn no_origin_is_allowed_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    for (case, response) in [
        ("preflight", preflight(&app, APP_ORIGIN).await),
        ("request", cross_origin_get(&app, APP_ORIGIN).await),
    ] {
        assert_eq!(allowed_origin(&response), None, "{case}: {response:?}");
    }
}

async fn only_the_configured_origins_are_allowed(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("CORS_ORIGINS", APP_ORIGIN)]).await;

    let allowed = preflight(&app, APP_ORIGIN).await;
    assert!(allowed.status().is_success(), "{allowed:?}");
    assert_eq!(allowed_origin(&allowed).as_deref(), Some(APP_ORIGIN));
    assert_eq!(
        header_value(&allowed, "Access-Control-Allow-Credentials").as_deref(),
        Some("true"),
        "{allowed:?}"
    );
    let request = cross_origin_get(&app, APP_ORIGIN).await;
    assert_eq!(allowed_origin(&request).as_deref(), Some(APP_ORIGIN));

    for (case, response) in [
        ("preflight", preflight(&app, OTHER_ORIGIN).await),
        ("request", cross_origin_get(&app, OTHER_ORIGIN).await),
    ] {
        assert_eq!(
            allowed_origin(&response),
            None,
            "{case} from {OTHER_ORIGIN}: {response:?}"
        );
    }
}

/// The browser's preflight before a cross-origin `POST /api/generate-text` with a token.
async fn preflight(app: &TestApp, origin: &str) -> Response {
    app.request(Method::OPTIONS, "/api/generate-text", Auth::None)
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization, content-type",
        )
        .send()
        .await
        .expect("the preflight reached the server")
}

/// A simple cross-origin request, as a page on `origin` makes it.
async fn cross_origin_get(app: &TestApp, origin: &str) -> Response {
    app.request(Method::GET, "/api/credits/packages", Auth::None)
        .header(header::ORIGIN, origin)
        .send()
        .await
        .expect("the request reached the server")
}

fn allowed_origin(response: &Response) -> Option<String> {
    header_value(response, "Access-Control-Allow-Origin")
}
