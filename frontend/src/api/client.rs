//! The request machinery: JSON in and out, same-origin credentials (the refresh cookie), the
//! Bearer token from the session store, and one transparent refresh-and-retry on a 401.

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
    send(Method::GET, path, Ok(None), auth)
}

pub fn post<'a, B: Serialize + ?Sized, T: DeserializeOwned + 'static>(
    path: &'a str,
    body: &B,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + 'a {
    send(Method::POST, path, to_json(body), auth)
}

pub fn post_empty<T: DeserializeOwned + 'static>(
    path: &str,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + '_ {
    send(Method::POST, path, Ok(None), auth)
}

pub fn patch<'a, B: Serialize + ?Sized, T: DeserializeOwned + 'static>(
    path: &'a str,
    body: &B,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + 'a {
    send(Method::PATCH, path, to_json(body), auth)
}

pub fn delete<T: DeserializeOwned + 'static>(
    path: &str,
    auth: Auth,
) -> impl Future<Output = Result<T, ApiError>> + '_ {
    send(Method::DELETE, path, Ok(None), auth)
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

/// The request body, serialised when the call is made.
fn to_json<B: Serialize + ?Sized>(body: &B) -> Result<Option<String>, ApiError> {
    serde_json::to_string(body)
        .map(Some)
        .map_err(ApiError::unexpected)
}

/// Sends the call and decodes the 2xx body as `T`. Only the decoding is generic: the request
/// machinery below is compiled once (and boxed, so each response type's state machine stays
/// small), not once per response type (that saves tens of KB of wasm).
async fn send<T: DeserializeOwned + 'static>(
    method: Method,
    path: &str,
    body: Result<Option<String>, ApiError>,
    auth: Auth,
) -> Result<T, ApiError> {
    let text = send_text(method, path, body?, auth).await?;
    decode(&text)
}

fn send_text(
    method: Method,
    path: &str,
    body: Option<String>,
    auth: Auth,
) -> LocalBoxFuture<'_, Result<String, ApiError>> {
    Box::pin(async move { send_raw(method, path, body.as_deref(), auth).await })
}

fn decode<T: DeserializeOwned + 'static>(text: &str) -> Result<T, ApiError> {
    // 204 and empty bodies decode as JSON `null`, i.e. `()`.
    let text = if text.trim().is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(ApiError::unexpected)
}

/// With `Auth::Session`, a 401 (other than a wrong password) triggers one refresh (shared with
/// any other call failing at the same time) and one retry with the new token. A refresh that
/// fails signs out.
async fn send_raw(
    method: Method,
    path: &str,
    body: Option<&str>,
    auth: Auth,
) -> Result<String, ApiError> {
    if auth == Auth::Public {
        return body_text(fetch(method, path, body, None).await?).await;
    }
    let token = store::current()
        .access_token()
        .map(str::to_owned)
        .ok_or_else(ApiError::signed_out)?;
    let response = fetch(method.clone(), path, body, Some(&token)).await?;
    match body_text(response).await {
        // A wrong password given again (changing the email, a new key) is no expired token: a
        // refresh would not help, and the retry would count as a second wrong guess.
        Err(e) if e.status == 401 && e.code != ErrorCode::InvalidCredentials => {}
        answer => return answer,
    }
    let token = refresh::renew(&token).await?;
    body_text(fetch(method, path, body, Some(&token)).await?).await
}

pub(super) async fn fetch(
    method: Method,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(path)
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
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

/// The body of a 2xx answer, else the contract error.
pub(super) async fn body_text(response: Response) -> Result<String, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::network())?;
    if response.ok() {
        Ok(text)
    } else {
        Err(ApiError::from_response(status, &text))
    }
}
