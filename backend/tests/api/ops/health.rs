//! Liveness and readiness.

use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::helpers::*;

both_backends!(health_and_readiness_are_200_json);

async fn health_and_readiness_are_200_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    for path in ["/healthz", "/readyz"] {
        expect_json::<serde_json::Value>(app.get(path, Auth::None).await, StatusCode::OK).await;
    }
}

/// A database that goes away makes the server unready (the load balancer stops sending it
/// traffic) but not dead (the orchestrator does not restart it in a loop). PostgreSQL only: a
/// SQLite file cannot be taken away from a process that has it open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_is_503_json_when_the_database_is_gone() {
    if !Backend::Postgres.is_available() {
        return;
    }
    let app = TestApp::spawn_with(Backend::Postgres, &[("DB_TIMEOUT_MS", "500")]).await;
    expect_json::<serde_json::Value>(app.get("/readyz", Auth::None).await, StatusCode::OK).await;

    app.drop_database().await;

    // The answer may be a second old (one probe a second); it turns within a few. Each answer is
    // bounded by far more than the 500 ms pool timeout, so a hang fails instead of blocking.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let response = loop {
        let response = app
            .request(Method::GET, "/readyz", Auth::None)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .expect("/readyz answers within 10 s without its database");
        if response.status() != StatusCode::OK || std::time::Instant::now() > deadline {
            break response;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    expect_error(response, StatusCode::SERVICE_UNAVAILABLE, "not_ready").await;
    expect_json::<serde_json::Value>(app.get("/healthz", Auth::None).await, StatusCode::OK).await;
}
