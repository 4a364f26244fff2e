//! Typed client of the HTTP API (DESIGN section 6): one function per call, request and response
//! types from `shared`. Calls that need a session refresh an expired access token once and retry.

mod attachments;
mod client;
mod email;
mod error;
mod oauth;
mod orgs;
mod refresh;
mod tasks;

pub use attachments::{attachments, delete_attachment, download_attachment, upload_attachment};
pub use email::{
    change_email, confirm_email_change, confirm_password_reset, request_password_reset,
    resend_verification, verify_email,
};
pub use error::ApiError;
pub use oauth::{identities, link, providers, start_url, unlink};
pub use orgs::{
    accept_invitation, cancel_invitation, create_org, delete_org, invitations, invite, members,
    orgs, remove_member, rename_org, switch_org, update_member,
};
pub use refresh::refresh;
pub use tasks::{create_task, delete_task, task, tasks, update_task};

use client::Auth::{Public, Session};
use shared::dto::{
    ApiKey, Balance, ChangePasswordRequest, CreateKeyRequest, CreatedKey, Credentials,
    CreditPackage, GenerateTextRequest, GenerateTextResponse, GrantCreditsRequest, LedgerEntry,
    LogoutAllRequest, OrgBalance, PageQuery, PurchaseRequest, PurchaseResponse, RotateKeyRequest,
    TokenResponse, UpdateUserRequest, UsageDay, UsageQuery, User,
};

use crate::store;

// --- auth: the answers that start a session also put it in the store ---

pub async fn sign_up(credentials: &Credentials) -> Result<TokenResponse, ApiError> {
    let token: TokenResponse = client::post("/api/auth/signup", credentials, Public).await?;
    store::signed_in(token.clone());
    Ok(token)
}

pub async fn sign_in(credentials: &Credentials) -> Result<TokenResponse, ApiError> {
    let token: TokenResponse = client::post("/api/auth/login", credentials, Public).await?;
    store::signed_in(token.clone());
    Ok(token)
}

/// Ends this browser's session. `leave` runs before the store is cleared (typically: go to the
/// sign-in page), so the signed-in page's guard never sees a signed-out session and asks to come
/// back. The store is cleared even when the server cannot be reached: the user asked to leave.
pub async fn sign_out(leave: impl FnOnce()) -> Result<(), ApiError> {
    let result = client::post_empty("/api/auth/logout", Public).await;
    leave();
    store::signed_out();
    result
}

/// Ends every session and access token of the user; on success, `leave` then clear the store
/// (as in `sign_out`).
pub async fn sign_out_everywhere(
    request: &LogoutAllRequest,
    leave: impl FnOnce(),
) -> Result<(), ApiError> {
    client::post::<_, ()>("/api/auth/logout-all", request, Session).await?;
    leave();
    store::signed_out();
    Ok(())
}

/// Restores the session at page load from the refresh cookie, if a previous visit left one.
pub async fn restore_session() {
    if store::has_hint() {
        // The outcome (signed in or out) is written to the store by `refresh` itself.
        let _ = refresh().await;
    } else {
        store::signed_out();
    }
}

// --- account ---

pub async fn me() -> Result<User, ApiError> {
    let user: User = client::get("/api/me", Session).await?;
    store::set_user(user.clone());
    Ok(user)
}

/// Changes the password. The API revokes every access token, ours included, but keeps our
/// refresh cookie: refresh at once so the session goes on.
pub async fn change_password(request: &ChangePasswordRequest) -> Result<(), ApiError> {
    client::post::<_, ()>("/api/me/password", request, Session).await?;
    refresh().await?;
    Ok(())
}

// --- credits ---

pub async fn packages() -> Result<Vec<CreditPackage>, ApiError> {
    client::get("/api/credits/packages", Public).await
}

pub async fn balance() -> Result<Balance, ApiError> {
    let balance: Balance = client::get("/api/credits", Session).await?;
    store::set_credits(balance.credits);
    Ok(balance)
}

pub async fn purchase(package_id: &str) -> Result<PurchaseResponse, ApiError> {
    let request = PurchaseRequest {
        package_id: package_id.to_owned(),
    };
    let response: PurchaseResponse =
        client::post("/api/credits/purchase", &request, Session).await?;
    if let PurchaseResponse::Credited { credits } = response {
        store::set_credits(credits);
    }
    Ok(response)
}

/// A page of the ledger, newest first; `before` is the id of the last entry already shown.
pub async fn ledger(query: PageQuery) -> Result<Vec<LedgerEntry>, ApiError> {
    let path = client::with_query("/api/credits/ledger", &query)?;
    client::get(&path, Session).await
}

pub async fn usage(query: UsageQuery) -> Result<Vec<UsageDay>, ApiError> {
    let path = client::with_query("/api/credits/usage", &query)?;
    client::get(&path, Session).await
}

/// The demo paid route: 1 credit per call.
pub async fn generate_text(
    request: &GenerateTextRequest,
) -> Result<GenerateTextResponse, ApiError> {
    let response: GenerateTextResponse =
        client::post("/api/generate-text", request, Session).await?;
    store::set_credits(response.credits);
    Ok(response)
}

// --- API keys ---

/// A page of the live keys, newest first; `before` is the id of the last key already shown.
pub async fn keys(query: PageQuery) -> Result<Vec<ApiKey>, ApiError> {
    let path = client::with_query("/api/keys", &query)?;
    client::get(&path, Session).await
}

pub async fn create_key(request: &CreateKeyRequest) -> Result<CreatedKey, ApiError> {
    client::post("/api/keys", request, Session).await
}

/// A new secret for key `id`; the old one works `grace_seconds` more.
pub async fn rotate_key(id: i64, request: &RotateKeyRequest) -> Result<CreatedKey, ApiError> {
    client::post(&format!("/api/keys/{id}/rotate"), request, Session).await
}

pub async fn revoke_key(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/api/keys/{id}"), Session).await
}

// --- admin ---

/// A page of the users, newest first; `before` is the id of the last user already shown.
pub async fn admin_users(query: PageQuery) -> Result<Vec<User>, ApiError> {
    let path = client::with_query("/api/admin/users", &query)?;
    client::get(&path, Session).await
}

/// A page of the organisations with their balances, newest first.
pub async fn admin_orgs(query: PageQuery) -> Result<Vec<OrgBalance>, ApiError> {
    let path = client::with_query("/api/admin/orgs", &query)?;
    client::get(&path, Session).await
}

/// Adds (or, negative, takes back) credits to organisation `org_id` (a user's personal one for
/// a grant to that user).
pub async fn admin_grant(org_id: i64, request: &GrantCreditsRequest) -> Result<Balance, ApiError> {
    client::post(
        &format!("/api/admin/orgs/{org_id}/credits"),
        request,
        Session,
    )
    .await
}

pub async fn admin_update(user_id: i64, request: &UpdateUserRequest) -> Result<User, ApiError> {
    client::patch(&format!("/api/admin/users/{user_id}"), request, Session).await
}
