//! Many requests in flight at once, for the tests that break the server under them.

use std::time::{Duration, Instant};

use reqwest::{RequestBuilder, StatusCode};
use tokio::sync::mpsc;

/// Bounds each request, so a server that never answers fails the test instead of hanging it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A whole answer: its status, its body and how long it took.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub elapsed: Duration,
}

impl Answer {
    /// Sends `request` and reads the whole answer; `None` when none came (the connection was
    /// refused or cut).
    pub async fn of(request: RequestBuilder) -> Option<Self> {
        let start = Instant::now();
        let response = request.timeout(REQUEST_TIMEOUT).send().await.ok()?;
        let status = response.status();
        let body = response.text().await.ok()?;
        Some(Self {
            status,
            body,
            elapsed: start.elapsed(),
        })
    }

    /// An integer field of a JSON body, e.g. the `credits` a paid call or a purchase reports.
    pub fn integer(&self, field: &str) -> i64 {
        let body: serde_json::Value = serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body));
        body[field]
            .as_i64()
            .unwrap_or_else(|| panic!("no integer {field:?} in {}", self.body))
    }
}

/// Sends every request at once. Each outcome comes back with its tag, in the order they finish;
/// the receiver closes when all have.
pub fn fire<T: Send + 'static>(
    requests: Vec<(T, RequestBuilder)>,
) -> mpsc::UnboundedReceiver<(T, Option<Answer>)> {
    let (sender, outcomes) = mpsc::unbounded_channel();
    for (tag, request) in requests {
        let sender = sender.clone();
        tokio::spawn(async move {
            let _ = sender.send((tag, Answer::of(request).await));
        });
    }
    outcomes
}
