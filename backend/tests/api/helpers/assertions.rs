//! Assertions shared by the tests: statuses with the body in the failure message, the error
//! contract, and the ledger invariant.

use reqwest::{Response, StatusCode, header};
use serde::de::DeserializeOwned;
use shared::dto::{ErrorBody, ErrorDetail, LedgerEntry};

use super::app::{Auth, TestApp};

/// Asserts the status and parses the JSON body.
pub async fn expect_json<T: DeserializeOwned>(response: Response, status: StatusCode) -> T {
    let (url, body) = expect_status(response, status, "").await;
    serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("{url}: the body is not the expected JSON ({e}): {body}"))
}

/// Asserts the status and returns the body as text.
pub async fn expect_text(response: Response, status: StatusCode) -> String {
    expect_status(response, status, "").await.1
}

/// Asserts a 204 with an empty body.
pub async fn expect_no_content(response: Response) {
    let (url, body) = expect_status(response, StatusCode::NO_CONTENT, "").await;
    assert!(body.is_empty(), "{url}: a 204 came with a body: {body}");
}

/// Asserts the error contract: the status, a JSON `{"error":{"code","message"}}` body, the code.
pub async fn expect_error(response: Response, status: StatusCode, code: &str) -> ErrorDetail {
    expect_error_for("", response, status, code).await
}

/// Asserts a 400 `validation_error` that names the offending field.
pub async fn expect_validation_error(response: Response, field: &str) -> ErrorDetail {
    let error = expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    assert_eq!(
        error.field.as_deref(),
        Some(field),
        "the error names the field: {error:?}"
    );
    error
}

/// [`expect_error`] with a note saying which case of a table failed.
pub async fn expect_error_for(
    case: &str,
    response: Response,
    status: StatusCode,
    code: &str,
) -> ErrorDetail {
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (url, body) = expect_status(response, status, case).await;
    assert!(
        content_type.starts_with("application/json"),
        "{case} {url}: an error must be JSON, got Content-Type {content_type:?}: {body}"
    );
    let parsed: ErrorBody = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("{case} {url}: not the error contract ({e}): {body}"));
    assert_eq!(
        parsed.error.code.as_str(),
        code,
        "{case} {url}: wrong error code: {body}"
    );
    assert!(
        !parsed.error.message.is_empty(),
        "{case} {url}: empty error message: {body}"
    );
    parsed.error
}

/// The answer to call number `call` (from 0) against a quota of `quota` calls: the error
/// `status` and `code` within the quota, 429 `rate_limited` past it.
pub async fn expect_error_within_quota(
    case: &str,
    call: usize,
    quota: usize,
    response: Response,
    (status, code): (StatusCode, &str),
) -> ErrorDetail {
    let case = format!("{case} (call {} of a quota of {quota})", call + 1);
    if call < quota {
        expect_error_for(&case, response, status, code).await
    } else {
        expect_error_for(
            &case,
            response,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
        )
        .await
    }
}

/// A response header's value, if present (and ASCII).
pub fn header_value(response: &Response, name: &str) -> Option<String> {
    let value = response.headers().get(name)?;
    Some(value.to_str().ok()?.to_owned())
}

/// A response header's value; fails naming the response when it is missing.
pub fn expect_header(response: &Response, name: &str) -> String {
    header_value(response, name).unwrap_or_else(|| {
        panic!(
            "{} ({}) has no {name} header: {:?}",
            response.url(),
            response.status(),
            response.headers()
        )
    })
}

async fn expect_status(response: Response, status: StatusCode, case: &str) -> (String, String) {
    let (url, actual) = (response.url().to_string(), response.status());
    let body = response.text().await.expect("a readable response body");
    assert_eq!(
        actual, status,
        "{case} {url}: expected {status}, got {actual}: {body}"
    );
    (url, body)
}

/// The ledger invariant: the balance is the sum of the caller's ledger deltas, and the newest
/// entry's `balance_after` is the balance.
pub async fn assert_ledger_consistent(app: &TestApp, auth: Auth<'_>) {
    let credits = app.balance(auth).await;
    let ledger = app.ledger(auth).await;
    let sum: i64 = ledger.iter().map(|entry| entry.delta).sum();
    assert_eq!(
        sum, credits,
        "the ledger deltas add up to the balance: {ledger:#?}"
    );
    let newest = ledger.first().map_or(0, |entry| entry.balance_after);
    assert_eq!(
        newest, credits,
        "the newest balance_after is the balance: {ledger:#?}"
    );
}

/// Every answer the client saw is in the books: each balance it reported (`reported`, one per
/// successful answer) is the `balance_after` of its own ledger entry of the `kind` it made (debits
/// for paid calls, credits for purchases). Returns the caller's entries of that kind.
pub async fn assert_answers_recorded(
    app: &TestApp,
    auth: Auth<'_>,
    reported: &[i64],
    kind: impl Fn(&LedgerEntry) -> bool,
) -> Vec<LedgerEntry> {
    let entries: Vec<LedgerEntry> = app.ledger(auth).await.into_iter().filter(kind).collect();
    let mut unmatched: Vec<i64> = entries.iter().map(|e| e.balance_after).collect();
    for balance in reported {
        let entry = unmatched.iter().position(|after| after == balance);
        let entry = entry.unwrap_or_else(|| {
            panic!(
                "an answer reported a balance of {balance}, but no ledger entry left it: \
                 {entries:#?}"
            )
        });
        unmatched.swap_remove(entry);
    }
    entries
}
