//! One typed call per route of the contract. `try_*` calls return the raw response; the others
//! assert success and return the parsed body (for setting a test up).

use reqwest::{Response, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use shared::dto::{
    ApiKey, Balance, ChangePasswordRequest, CreateKeyRequest, CreatedKey, Credentials,
    GenerateTextRequest, GenerateTextResponse, GrantCreditsRequest, LedgerEntry, LogoutAllRequest,
    PurchaseRequest, Scope, TokenForm, TokenResponse, User,
};

use super::app::{Auth, TestApp, send};
use super::assertions::expect_json;

/// Name of the refresh-token cookie.
pub const REFRESH_COOKIE: &str = "refresh_token";

/// The refresh cookie a response sets, as the browser sees it.
#[derive(Debug, Clone)]
pub struct RefreshCookie {
    pub value: String,
    pub http_only: bool,
    pub secure: bool,
    pub same_site_strict: bool,
    pub path: Option<String>,
    /// Empty, `Max-Age=0`, or expired: the browser deletes it.
    pub cleared: bool,
}

impl RefreshCookie {
    /// The refresh cookie set by `response`, if any.
    pub fn of(response: &Response) -> Option<Self> {
        response
            .cookies()
            .find(|c| c.name() == REFRESH_COOKIE)
            .map(|c| Self {
                value: c.value().to_owned(),
                http_only: c.http_only(),
                secure: c.secure(),
                same_site_strict: c.same_site_strict(),
                path: c.path().map(str::to_owned),
                cleared: c.value().is_empty()
                    || c.max_age().is_some_and(|age| age.is_zero())
                    || c.expires()
                        .is_some_and(|at| at <= std::time::SystemTime::now()),
            })
    }
}

impl TestApp {
    // --- auth -----------------------------------------------------------------------------

    pub async fn try_signup(&self, email: &str, password: &str) -> Response {
        let body = Credentials {
            email: email.into(),
            password: password.into(),
        };
        self.post_json("/api/auth/signup", &body, Auth::None).await
    }

    pub async fn signup(&self, email: &str, password: &str) -> TokenResponse {
        expect_json(self.try_signup(email, password).await, StatusCode::CREATED).await
    }

    pub async fn try_login(&self, email: &str, password: &str) -> Response {
        let body = Credentials {
            email: email.into(),
            password: password.into(),
        };
        self.post_json("/api/auth/login", &body, Auth::None).await
    }

    pub async fn login(&self, email: &str, password: &str) -> TokenResponse {
        expect_json(self.try_login(email, password).await, StatusCode::OK).await
    }

    /// The OAuth2 password flow: a form with `username` and `password`.
    pub async fn try_token_form(&self, username: &str, password: &str) -> Response {
        let form = TokenForm {
            username: username.into(),
            password: password.into(),
            grant_type: Some("password".into()),
            scope: None,
        };
        send(
            self.request(reqwest::Method::POST, "/api/auth/token", Auth::None)
                .form(&form),
        )
        .await
    }

    /// Refreshes with this browser's cookie jar.
    pub async fn try_refresh(&self) -> Response {
        self.post_empty("/api/auth/refresh", Auth::None).await
    }

    pub async fn refresh(&self) -> TokenResponse {
        expect_json(self.try_refresh().await, StatusCode::OK).await
    }

    /// Refreshes presenting exactly this cookie value, outside any cookie jar.
    pub async fn try_refresh_with_cookie(&self, value: &str) -> Response {
        let request = reqwest::Client::new()
            .post(self.url("/api/auth/refresh"))
            .header(header::COOKIE, format!("{REFRESH_COOKIE}={value}"));
        send(request).await
    }

    pub async fn try_logout(&self) -> Response {
        self.post_empty("/api/auth/logout", Auth::None).await
    }

    pub async fn try_logout_all(&self, auth: Auth<'_>) -> Response {
        self.post_empty("/api/auth/logout-all", auth).await
    }

    pub async fn try_logout_all_with(&self, auth: Auth<'_>, body: &LogoutAllRequest) -> Response {
        self.post_json("/api/auth/logout-all", body, auth).await
    }

    // --- token keys -----------------------------------------------------------------------

    pub async fn try_jwks(&self) -> Response {
        self.get("/.well-known/jwks.json", Auth::None).await
    }

    /// The JWK Set that verifies the server's access tokens.
    pub async fn jwks(&self) -> Value {
        expect_json(self.try_jwks().await, StatusCode::OK).await
    }

    // --- me -------------------------------------------------------------------------------

    pub async fn try_me(&self, auth: Auth<'_>) -> Response {
        self.get("/api/me", auth).await
    }

    pub async fn me(&self, auth: Auth<'_>) -> User {
        expect_json(self.try_me(auth).await, StatusCode::OK).await
    }

    pub async fn try_change_password(&self, auth: Auth<'_>, current: &str, new: &str) -> Response {
        let body = ChangePasswordRequest {
            current_password: Some(current.into()),
            new_password: new.into(),
            revoke_api_keys: false,
        };
        self.try_change_password_with(auth, &body).await
    }

    pub async fn try_change_password_with(
        &self,
        auth: Auth<'_>,
        body: &ChangePasswordRequest,
    ) -> Response {
        self.post_json("/api/me/password", body, auth).await
    }

    // --- keys -----------------------------------------------------------------------------

    pub async fn try_create_key(&self, auth: Auth<'_>, name: &str) -> Response {
        self.try_create_key_with(auth, name, None).await
    }

    /// Creates a key giving the password again (`password`), as a session older than the
    /// re-authentication window must.
    pub async fn try_create_key_with(
        &self,
        auth: Auth<'_>,
        name: &str,
        password: Option<&str>,
    ) -> Response {
        let body = CreateKeyRequest {
            name: name.into(),
            scopes: None,
            expires_in_days: None,
            spend_limit_daily: None,
            spend_limit_monthly: None,
            rate_limit_per_minute: None,
            password: password.map(str::to_owned),
        };
        self.post_json("/api/keys", &body, auth).await
    }

    /// Creates a key from the JSON `body` as given (scopes, expiry, ...).
    pub async fn try_create_key_json(&self, auth: Auth<'_>, body: &Value) -> Response {
        self.post_json("/api/keys", body, auth).await
    }

    /// A key with only `scopes`.
    pub async fn create_scoped_key(&self, auth: Auth<'_>, scopes: &[Scope]) -> CreatedKey {
        let body = json!({ "name": "scoped", "scopes": scopes });
        expect_json(
            self.try_create_key_json(auth, &body).await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn create_key(&self, auth: Auth<'_>, name: &str) -> CreatedKey {
        expect_json(self.try_create_key(auth, name).await, StatusCode::CREATED).await
    }

    /// Rotates key `id`; the old secret works `grace_seconds` more.
    pub async fn try_rotate_key(&self, auth: Auth<'_>, id: i64, grace_seconds: i64) -> Response {
        let body = json!({ "grace_seconds": grace_seconds });
        self.post_json(&format!("/api/keys/{id}/rotate"), &body, auth)
            .await
    }

    /// One page of the live keys; `query` is e.g. `"limit=2&before=7"`.
    pub async fn try_keys_page(&self, auth: Auth<'_>, query: &str) -> Response {
        self.get(&format!("/api/keys?{query}"), auth).await
    }

    /// Every live key, newest first, following the `before` cursor page by page.
    pub async fn keys(&self, auth: Auth<'_>) -> Vec<ApiKey> {
        self.every_page("/api/keys", auth, |key: &ApiKey| key.id)
            .await
    }

    /// The ids of the keys listed, newest first.
    pub async fn key_ids(&self, auth: Auth<'_>) -> Vec<i64> {
        self.keys(auth).await.iter().map(|key| key.id).collect()
    }

    pub async fn try_delete_key(&self, auth: Auth<'_>, id: i64) -> Response {
        self.delete(&format!("/api/keys/{id}"), auth).await
    }

    /// Every row of the list at `path`, newest first: pages of 200 (the most one page holds),
    /// each asked for `before` the `id` of the last row so far, until one comes back empty.
    async fn every_page<T: DeserializeOwned>(
        &self,
        path: &str,
        auth: Auth<'_>,
        id: impl Fn(&T) -> i64,
    ) -> Vec<T> {
        let mut all: Vec<T> = Vec::new();
        loop {
            let query = match all.last() {
                Some(last) => format!("limit=200&before={}", id(last)),
                None => "limit=200".to_owned(),
            };
            let response = self.get(&format!("{path}?{query}"), auth).await;
            let page: Vec<T> = expect_json(response, StatusCode::OK).await;
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }

    // --- credits --------------------------------------------------------------------------

    pub async fn balance(&self, auth: Auth<'_>) -> i64 {
        let balance: Balance =
            expect_json(self.get("/api/credits", auth).await, StatusCode::OK).await;
        balance.credits
    }

    pub async fn try_buy(&self, auth: Auth<'_>, package_id: &str) -> Response {
        let body = PurchaseRequest {
            package_id: package_id.into(),
        };
        self.post_json("/api/credits/purchase", &body, auth).await
    }

    /// Buys a package (dev payments) and returns the new balance.
    pub async fn buy(&self, auth: Auth<'_>, package_id: &str) -> i64 {
        let balance: Balance =
            expect_json(self.try_buy(auth, package_id).await, StatusCode::OK).await;
        balance.credits
    }

    /// One page of the ledger; `query` is e.g. `"limit=2&before=7"`.
    pub async fn try_ledger_page(&self, auth: Auth<'_>, query: &str) -> Response {
        self.get(&format!("/api/credits/ledger?{query}"), auth)
            .await
    }

    /// The whole ledger, newest first, following the `before` cursor page by page.
    pub async fn ledger(&self, auth: Auth<'_>) -> Vec<LedgerEntry> {
        self.every_page("/api/credits/ledger", auth, |entry: &LedgerEntry| entry.id)
            .await
    }

    /// `query` is e.g. `"days=7"`, or empty for the default.
    pub async fn try_usage(&self, auth: Auth<'_>, query: &str) -> Response {
        self.get(&format!("/api/credits/usage?{query}"), auth).await
    }

    pub async fn try_packages(&self) -> Response {
        self.get("/api/credits/packages", Auth::None).await
    }

    // --- paid routes ----------------------------------------------------------------------

    pub async fn try_generate(&self, auth: Auth<'_>, prompt: &str) -> Response {
        let body = GenerateTextRequest {
            prompt: prompt.into(),
        };
        self.post_json("/api/generate-text", &body, auth).await
    }

    /// Spends `count` credits, one successful paid call after the other.
    pub async fn spend(&self, auth: Auth<'_>, count: usize) {
        for _ in 0..count {
            let response = self.try_generate(auth, "spend a credit").await;
            expect_json::<GenerateTextResponse>(response, StatusCode::OK).await;
        }
    }

    pub async fn try_premium(&self, auth: Auth<'_>) -> Response {
        self.get("/api/demo/premium", auth).await
    }

    // --- admin ----------------------------------------------------------------------------

    pub async fn try_admin_users(&self, auth: Auth<'_>) -> Response {
        self.get("/api/admin/users", auth).await
    }

    pub async fn try_admin_grant(
        &self,
        auth: Auth<'_>,
        user_id: i64,
        amount: i64,
        reason: &str,
    ) -> Response {
        let path = format!("/api/admin/users/{user_id}/credits");
        self.post_grant(&path, auth, amount, reason).await
    }

    pub async fn try_admin_orgs(&self, auth: Auth<'_>, query: &str) -> Response {
        self.get(&format!("/api/admin/orgs{query}"), auth).await
    }

    pub async fn try_admin_grant_org(
        &self,
        auth: Auth<'_>,
        org_id: i64,
        amount: i64,
        reason: &str,
    ) -> Response {
        let path = format!("/api/admin/orgs/{org_id}/credits");
        self.post_grant(&path, auth, amount, reason).await
    }

    async fn post_grant(&self, path: &str, auth: Auth<'_>, amount: i64, reason: &str) -> Response {
        let body = GrantCreditsRequest {
            amount,
            reason: reason.into(),
        };
        self.post_json(path, &body, auth).await
    }

    pub async fn try_admin_update(&self, auth: Auth<'_>, user_id: i64, update: &Value) -> Response {
        self.patch_json(&format!("/api/admin/users/{user_id}"), update, auth)
            .await
    }

    /// `PATCH /api/admin/users/{id}` with `{"is_active": active}`.
    pub async fn try_set_active(&self, auth: Auth<'_>, user_id: i64, active: bool) -> Response {
        self.try_admin_update(auth, user_id, &json!({ "is_active": active }))
            .await
    }
}
