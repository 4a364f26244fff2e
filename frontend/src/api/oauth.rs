//! Identity providers: the ones to sign in with, and the ones linked to the account.

use shared::dto::{AuthProvider, LinkStarted};

use super::{
    ApiError,
    client::{
        self,
        Auth::{Public, Session},
    },
};

/// The providers the sign-in page offers (none unless the server configures some).
pub async fn providers() -> Result<Vec<AuthProvider>, ApiError> {
    client::get("/api/auth/providers", Public).await
}

/// Where the browser goes to sign in at `provider` (a full page load: the provider's pages, then
/// back to `next`). Built by hand: one query parameter needs no serializer in the wasm.
pub fn start_url(provider: &str, next: Option<&str>) -> String {
    let start = format!("/api/auth/oauth/{provider}/start");
    match next {
        Some(next) => format!(
            "{start}?next={}",
            String::from(js_sys::encode_uri_component(next))
        ),
        None => start,
    }
}

/// The providers linked to the account (with `email`), then the ones it may link.
pub async fn identities() -> Result<Vec<AuthProvider>, ApiError> {
    client::get("/api/me/identities", Session).await
}

/// Begins linking `provider`: the URL of its consent page, to go to. (No password: the account
/// page links within ten minutes of signing in, else the server asks to sign in again.)
pub async fn link(provider: &str) -> Result<LinkStarted, ApiError> {
    client::post_empty(&format!("/api/me/identities/{provider}"), Session).await
}

pub async fn unlink(provider: &str) -> Result<(), ApiError> {
    client::delete(&format!("/api/me/identities/{provider}"), Session).await
}
