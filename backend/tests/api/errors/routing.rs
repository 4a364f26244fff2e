//! Unknown paths and wrong methods get the JSON error contract, never an empty body.

use reqwest::{Method, StatusCode};

use crate::helpers::*;

both_backends!(
    unknown_api_paths_are_404_json,
    wrong_methods_on_known_paths_are_405_json
);

async fn unknown_api_paths_are_404_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for (method, path) in [
        (Method::GET, "/api/nope"),
        (Method::POST, "/api/v2/generate-text"),
        (Method::GET, "/api/keys/1/extra"),
    ] {
        let response = app
            .request(method.clone(), path, user.bearer())
            .send()
            .await
            .expect("sent");
        expect_error_for(
            &format!("{method} {path}"),
            response,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

async fn wrong_methods_on_known_paths_are_405_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    for (method, path) in [
        (Method::DELETE, "/api/me"),
        (Method::GET, "/api/auth/signup"),
        (Method::PUT, "/api/keys"),
        (Method::GET, "/api/generate-text"),
        (Method::POST, "/api/credits/packages"),
    ] {
        let response = app
            .request(method.clone(), path, user.bearer())
            .send()
            .await
            .expect("sent");
        let case = format!("{method} {path}");
        expect_error_for(
            &case,
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
}
