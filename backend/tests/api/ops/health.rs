//! Liveness and readiness.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(health_and_readiness_are_200_json);

async fn health_and_readiness_are_200_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    for path in ["/healthz", "/readyz"] {
        expect_json::<serde_json::Value>(app.get(path, Auth::None).await, StatusCode::OK).await;
    }
}
