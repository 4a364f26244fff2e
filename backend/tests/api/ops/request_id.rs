//! Every response carries `X-Request-ID`; a valid inbound one is kept.

use reqwest::{Response, StatusCode};

use crate::helpers::*;

const HEADER: &str = "X-Request-ID";

both_backends!(
    every_response_carries_a_request_id,
    an_inbound_request_id_is_kept
);

async fn every_response_carries_a_request_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let ok = app.get("/healthz", Auth::None).await;
    let error = app.try_me(Auth::None).await;

    assert_eq!(error.status(), StatusCode::UNAUTHORIZED);
    let (first, second) = (request_id(&ok), request_id(&error));
    assert!(!first.is_empty() && !second.is_empty());
    assert_ne!(first, second, "each request gets its own id");
}

async fn an_inbound_request_id_is_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let inbound = uuid::Uuid::new_v4().to_string();

    let response = app
        .request(reqwest::Method::GET, "/healthz", Auth::None)
        .header(HEADER, &inbound)
        .send()
        .await
        .expect("sent");

    assert_eq!(request_id(&response), inbound);
}

fn request_id(response: &Response) -> String {
    let value = response
        .headers()
        .get(HEADER)
        .unwrap_or_else(|| panic!("{} {} has no {HEADER}", response.url(), response.status()));
    value.to_str().expect("an ASCII request id").to_owned()
}
