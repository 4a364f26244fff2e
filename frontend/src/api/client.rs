//! The request machinery: JSON in and out, same-origin credentials (the refresh cookie), the
//! Bearer token from the session store, `If-Match` for a change based on a version, and one
//! transparent refresh-and-retry on a 401.

use std::future::Future;

use futures::future::LocalBoxFuture;
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::{Serialize, de::DeserializeOwned};
use shared::dto::ErrorCode;
use web_sys::RequestCredentials;

use super::{ApiError, refresh};
use crate::store;

/// Whether a call carries the session's access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Public,
    Session,
}

// The wrappers are plain functions around one generic `send` per response type: no async layer
// of their own, so each response type costs one small state machine.

pub fn get<T: DeserializeOwned + 'static>(
    path: &str,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + '_ {
    send(Method::GET, path, Ok(None), None, auth)
}

pub fn post<'a, B: Serialize + ?Sized, T: DeserializeOwned + 'static>(
    path: &'a str,
    body: &B,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + 'a {
    send(Method::POST, path, to_json(body), None, auth)
}

pub fn post_empty<T: DeserializeOwned + 'static>(
    path: &str,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + '_ {
    send(Method::POST, path, Ok(None), None, auth)
}

pub fn patch<'a, B: Serialize + ?Sized, T: DeserializeOwned + 'static>(
    path: &'a str,
    body: &B,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + 'a {
    send(Method::PATCH, path, to_json(body), None, auth)
}

/// `patch`, made only while the resource is still at `version` (`If-Match`); otherwise 412
/// `precondition_failed`: someone changed it meanwhile.
pub fn patch_if_match<'a, B: Serialize + ?Sized, T: DeserializeOwned + 'static>(
    path: &'a str,
    body: &B,
    version: i64,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + 'a {
    send(Method::PATCH, path, to_json(body), Some(version), auth)
}

pub fn delete<T: DeserializeOwned + 'static>(
    path: &str,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + '_ {
    send(Method::DELETE, path, Ok(None), None, auth)
}

/// `delete`, made only while the resource is still at `version` (see `patch_if_match`).
pub fn delete_if_match<T: DeserializeOwned + 'static>(
    path: &str,
    version: i64,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + '_ {
    send(Method::DELETE, path, Ok(None), Some(version), auth)
}

/// `path?query`, the query string serialised from one of the API's shared query types (`None`
/// fields are left out).
pub fn with_query<Q: Serialize>(path: &str, query: &Q) -> Result<String, ApiError> {
    let query = serde_urlencoded::to_string(query).map_err(ApiError::unexpected)?;
    Ok(if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    })
}

/// The request body, serialised when the call is made. JSON is written and read by the browser
/// (`JSON.stringify`, `JSON.parse`): serde_json's own writer and parser would add tens of KB to
/// the wasm (the first-load budget).
fn to_json<B: Serialize + ?Sized>(body: &B) -> Result<Option<String>, ApiError> {
    // JSON's rules: `None` as `null` (a PATCH's "clear this field"), maps as objects.
    let value = body
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(ApiError::unexpected)?;
    js_sys::JSON::stringify(&value)
        .map(|text| Some(text.into()))
        .map_err(|_| ApiError::unexpected("not serialisable"))
}

/// Sends the call and decodes the 2xx body as `T`. Only the decoding is generic: the request
/// machinery below is compiled once (and boxed, so each response type's state machine stays
/// small), not once per response type (that saves tens of KB of wasm). `if_match`: the version
/// the change is based on.
async fn send<T: DeserializeOwned + 'static>(
    method: Method,
    path: &str,
    body: Result<Option<String>, ApiError>,
    if_match: Option<i64>,
    auth: Auth,
) -> Result<T, ApiError> {
    let text = send_text(method, path, body?, if_match, auth).await?;
    decode(&text)
}

fn send_text(
    method: Method,
    path: &str,
    body: Option<String>,
    if_match: Option<i64>,
    auth: Auth,
) -> LocalBoxFuture<'_, Result<String, ApiError>> {
    Box::pin(async move { send_raw(method, path, body.as_deref(), if_match, auth).await })
}

/// A JSON body as `T`; an empty one (a 204) as JSON `null`, i.e. `()`.
pub(super) fn decode<T: DeserializeOwned + 'static>(text: &str) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    let value = js_sys::JSON::parse(text).map_err(|_| ApiError::unexpected("not JSON"))?;
    serde_wasm_bindgen::from_value(value).map_err(ApiError::unexpected)
}

/// The text of the 2xx answer to the call (see `respond`).
async fn send_raw(
    method: Method,
    path: &str,
    body: Option<&str>,
    if_match: Option<i64>,
    auth: Auth,
) -> Result<String, ApiError> {
    let response = respond(method, path, body, if_match, auth).await?;
    response.text().await.map_err(|_| ApiError::network())
}

/// Makes the call and returns its 2xx answer, else the contract error. With `Auth::Session`, see
/// `with_session`.
async fn respond(
    method: Method,
    path: &str,
    body: Option<&str>,
    if_match: Option<i64>,
    auth: Auth,
) -> Result<Response, ApiError> {
    if auth == Auth::Public {
        return checked(fetch(method, path, body, if_match, None).await?).await;
    }
    with_session(|token| {
        let method = method.clone();
        async move { checked(fetch(method, path, body, if_match, Some(&token)).await?).await }
    })
    .await
}

/// Runs `call` with the session's access token. A 401 (other than a wrong password) triggers one
/// refresh (shared with any other call failing at the same time) and one more `call` with the new
/// token. A refresh that fails signs out.
pub(super) async fn with_session<T, F, Fut>(call: F) -> Result<T, ApiError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let token = store::current()
        .access_token()
        .map(str::to_owned)
        .ok_or_else(ApiError::signed_out)?;
    match call(token.clone()).await {
        // A wrong password given again (changing the email, a new key) is no expired token: a
        // refresh would not help, and the retry would count as a second wrong guess.
        Err(e) if e.status == 401 && e.code != ErrorCode::InvalidCredentials => {}
        answer => return answer,
    }
    let token = refresh::renew(&token).await?;
    call(token).await
}

async fn fetch(
    method: Method,
    path: &str,
    body: Option<&str>,
    if_match: Option<i64>,
    token: Option<&str>,
) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(path)
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(version) = if_match {
        // The API's ETag of a version is the number, quoted (a strong tag).
        builder = builder.header("If-Match", &format!("\"{version}\""));
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(ApiError::unexpected)?;
    request.send().await.map_err(|_| ApiError::network())
}

/// The answer if it is a 2xx, else the contract error its body carries.
pub(super) async fn checked(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let text = response.text().await.map_err(|_| ApiError::network())?;
    Err(ApiError::from_response(response.status(), &text))
}
