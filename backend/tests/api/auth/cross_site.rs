//! Another site cannot sign a visitor in to an account of its choosing (login CSRF) or sign them
//! out: the routes that set or clear the refresh cookie refuse what browsers mark as cross-site.
//! Scripts, which send no such headers, and the origins of `CORS_ORIGINS` pass.

use reqwest::{Method, StatusCode};
use shared::dto::Credentials;

use crate::helpers::*;

both_backends!(
    cross_site_sign_in_and_sign_out_are_refused,
    same_origin_scripts_and_trusted_origins_pass
);

const EVIL: &str = "https://evil.example";

/// `POST path` with a JSON body (when given) and the browser headers `headers`.
async fn post(
    app: &TestApp,
    path: &str,
    body: Option<&Credentials>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.request(Method::POST, path, Auth::None);
    if let Some(body) = body {
        request = request.json(body);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .send()
        .await
        .expect("the request reaches the server")
}

async fn cross_site_sign_in_and_sign_out_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let attacker = app.new_browser().new_user().await;
    let victim = app.new_browser();
    let credentials = Credentials {
        email: attacker.email.clone(),
        password: PASSWORD.to_owned(),
    };
    let cross_site = [("sec-fetch-site", "cross-site"), ("origin", EVIL)];
    let same_site = [
        ("sec-fetch-site", "same-site"),
        ("origin", "https://sub.example"),
    ];
    let old_browser = [("origin", EVIL)];

    for headers in [&cross_site[..], &same_site[..], &old_browser[..]] {
        for path in ["/api/auth/login", "/api/auth/signup"] {
            let response = post(&victim, path, Some(&credentials), headers).await;
            assert!(RefreshCookie::of(&response).is_none(), "{path} {headers:?}");
            expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    // The victim's browser holds no session of the attacker's.
    expect_error(
        victim.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    // Nor can another site sign the victim out, or refresh on their behalf.
    let signed_in = app.new_browser();
    signed_in.new_user().await;
    for path in ["/api/auth/logout", "/api/auth/refresh"] {
        let response = post(&signed_in, path, None, &cross_site).await;
        expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    signed_in.refresh().await;
}

async fn same_origin_scripts_and_trusted_origins_pass(backend: Backend) {
    let partner = "https://partner.example";
    let app = TestApp::spawn_with(backend, &[("CORS_ORIGINS", partner)]).await;
    let user = app.new_browser().new_user().await;
    let credentials = Credentials {
        email: user.email.clone(),
        password: PASSWORD.to_owned(),
    };
    let own_origin = app.address.clone();
    let cases: [&[(&str, &str)]; 5] = [
        &[],
        &[("sec-fetch-site", "same-origin"), ("origin", &own_origin)],
        &[("sec-fetch-site", "none")],
        &[("origin", &own_origin)],
        &[("sec-fetch-site", "cross-site"), ("origin", partner)],
    ];
    for headers in cases {
        let response = post(&app, "/api/auth/login", Some(&credentials), headers).await;
        assert_eq!(response.status(), StatusCode::OK, "{headers:?}");
    }
}
