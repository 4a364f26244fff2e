//! Every response carries the security headers, whatever produced it (an API handler, an error,
//! the SPA's files, the docs); HSTS only outside dev mode.

use reqwest::{Response, StatusCode};

use crate::helpers::*;

const HSTS: &str = "Strict-Transport-Security";

both_backends!(
    every_kind_of_response_carries_the_security_headers,
    production_adds_hsts,
    api_answers_are_never_cached
);

async fn every_kind_of_response_carries_the_security_headers(backend: Backend) {
    let spa = SpaBuild::new();
    let app = TestApp::spawn_with(backend, &[("STATIC_DIR", &spa.static_dir())]).await;
    let user = app.new_user().await;

    let responses = [
        ("API JSON", app.try_me(user.bearer()).await),
        ("API error", app.try_me(Auth::None).await),
        ("unknown API path", app.get("/api/nope", Auth::None).await),
        ("health", app.get("/healthz", Auth::None).await),
        ("SPA page", app.get("/dashboard", Auth::None).await),
        (
            "SPA asset",
            app.get(SpaBuild::HASHED_ASSET, Auth::None).await,
        ),
        ("docs page", app.get("/api/docs", Auth::None).await),
        (
            "docs asset",
            app.get("/api/docs/swagger-ui.css", Auth::None).await,
        ),
        (
            "API document",
            app.get("/api/openapi.json", Auth::None).await,
        ),
    ];

    for (case, response) in &responses {
        assert_security_headers(case, response);
        assert!(
            header_value(response, HSTS).is_none(),
            "{case}: HSTS in dev mode would pin localhost to HTTPS"
        );
    }
}

async fn production_adds_hsts(backend: Backend) {
    let app = TestApp::spawn_with(backend, PROD_MODE).await;

    for (case, response) in [
        ("success", app.get("/healthz", Auth::None).await),
        ("error", app.try_me(Auth::None).await),
    ] {
        assert_security_headers(case, &response);
        let hsts = expect_header(&response, HSTS);
        assert!(hsts.contains("max-age="), "{case}: {HSTS}: {hsts:?}");
    }
}

fn assert_security_headers(case: &str, response: &Response) {
    assert_ne!(
        response.status(),
        StatusCode::INTERNAL_SERVER_ERROR,
        "{case}: {}",
        response.url()
    );
    let csp = expect_header(response, "Content-Security-Policy");
    for directive in [
        "script-src 'self' 'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{case} {}: the CSP lacks {directive:?}: {csp:?}",
            response.url()
        );
    }
    assert_eq!(
        expect_header(response, "X-Content-Type-Options"),
        "nosniff",
        "{case}"
    );
    assert!(
        !expect_header(response, "Referrer-Policy").is_empty(),
        "{case}"
    );
}

/// Tokens, a new key, personal data and errors: `Cache-Control: no-store` on every `/api` answer,
/// so no shared or browser cache keeps one.
async fn api_answers_are_never_cached(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let signup = app.try_signup(&unique_email(), PASSWORD).await;
    let user = app.new_user().await;
    let admin = app.new_admin().await;

    let responses = [
        ("sign-up tokens", signup),
        ("refreshed tokens", app.try_refresh().await),
        (
            "a new API key",
            app.try_create_key(user.bearer(), "ci").await,
        ),
        ("the caller", app.try_me(user.bearer()).await),
        ("the ledger", app.try_ledger_page(user.bearer(), "").await),
        ("the user list", app.try_admin_users(admin.bearer()).await),
        ("an error", app.try_me(Auth::None).await),
    ];
    for (what, response) in responses {
        assert!(
            response.status().as_u16() < 500,
            "{what}: {}",
            response.status()
        );
        assert_eq!(
            header_value(&response, "cache-control").as_deref(),
            Some("no-store"),
            "{what}"
        );
    }
}
