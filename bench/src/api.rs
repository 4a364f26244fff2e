//! Typed calls to one server: users, keys, credits and tasks made through the API, as a customer
//! gets them.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::{Serialize, de::DeserializeOwned};
use shared::{
    dto::{CreateKeyRequest, CreateTaskRequest, CreatedKey, Credentials, GrantCreditsRequest},
    dto::{Scope, Task, TokenResponse},
    validate::{KEY_RATE_LIMIT_MAX, KEY_SPEND_LIMIT_MAX},
};

/// Every bench user's password.
pub const PASSWORD: &str = "bench password 12345";
pub const ADMIN_EMAIL: &str = "admin@bench.invalid";
/// The paid route, and the body of every call to it.
pub const PAID_PATH: &str = "/api/generate-text";
pub const PAID_BODY: &str = r#"{"prompt":"hi"}"#;

/// A user with an API key.
pub struct User {
    pub id: i64,
    pub key: String,
}

pub struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(base: String) -> Result<Self> {
        let client = (reqwest::Client::builder().timeout(Duration::from_secs(30))).build()?;
        Ok(Self { client, base })
    }

    /// POSTs `body` as JSON (with a session's `token`), expects `expect` and reads the answer.
    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
        expect: StatusCode,
    ) -> Result<T> {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let what = format!("POST {path}");
        let res = send(req, expect, &what).await?;
        (res.json().await).with_context(|| format!("{what}: unexpected answer"))
    }

    /// A new user with [`PASSWORD`].
    pub async fn signup(&self, email: &str) -> Result<TokenResponse> {
        let body = credentials(email);
        (self.post("/api/auth/signup", None, &body, StatusCode::CREATED)).await
    }

    /// The admin `create-admin` made.
    pub async fn login_admin(&self) -> Result<TokenResponse> {
        let body = credentials(ADMIN_EMAIL);
        (self.post("/api/auth/login", None, &body, StatusCode::OK)).await
    }

    /// The signed-in user, with a new API key: scoped (every scope) and expiring, as a careful
    /// customer's key is, so both checks ride on the key read.
    pub async fn with_key(&self, user: &TokenResponse) -> Result<User> {
        let key = self
            .create_key(user, "bench", Scope::ALL.to_vec(), None)
            .await?;
        Ok(User {
            id: user.user.id,
            key,
        })
    }

    /// Another key of the signed-in user's, scoped to paid calls and limited in every way a key
    /// can be (daily and monthly spend, its own rate), at limits the run never reaches: each
    /// check runs on every call.
    pub async fn limited_key(&self, user: &TokenResponse) -> Result<String> {
        let limits = Some((KEY_SPEND_LIMIT_MAX, KEY_RATE_LIMIT_MAX));
        (self.create_key(user, "bench limited", vec![Scope::PaidCall], limits)).await
    }

    /// A key of `scopes`, with (spend, rate) limits.
    async fn create_key(
        &self,
        user: &TokenResponse,
        name: &str,
        scopes: Vec<Scope>,
        limits: Option<(i64, i64)>,
    ) -> Result<String> {
        let (spend, rate) = (limits.map(|l| l.0), limits.map(|l| l.1));
        let body = CreateKeyRequest {
            name: name.to_owned(),
            scopes: Some(scopes),
            expires_in_days: Some(365),
            spend_limit_daily: spend,
            spend_limit_monthly: spend,
            rate_limit_per_minute: rate,
            password: None,
        };
        let token = Some(user.access_token.as_str());
        let key: CreatedKey = (self.post("/api/keys", token, &body, StatusCode::CREATED)).await?;
        Ok(key.key)
    }

    /// Grants credits (a negative amount takes them) as an admin.
    pub async fn grant(&self, admin_token: &str, user_id: i64, amount: i64) -> Result<()> {
        let reason = "bench".to_owned();
        let body = GrantCreditsRequest { amount, reason };
        let path = format!("/api/admin/users/{user_id}/credits");
        let _: serde_json::Value =
            (self.post(&path, Some(admin_token), &body, StatusCode::OK)).await?;
        Ok(())
    }

    /// A task of the signed-in user's (personal) organisation; its id.
    pub async fn create_task(&self, token: &str, title: &str) -> Result<i64> {
        let title = title.to_owned();
        let body = CreateTaskRequest {
            title,
            ..CreateTaskRequest::default()
        };
        let task: Task = (self.post("/api/tasks", Some(token), &body, StatusCode::CREATED)).await?;
        ensure!(task.id > 0, "a task without an id");
        Ok(task.id)
    }
}

/// Sends `request` (`what`, for messages); the answer, which must have `status`.
pub async fn send(request: RequestBuilder, status: StatusCode, what: &str) -> Result<Response> {
    let res = request.send().await.with_context(|| what.to_owned())?;
    if res.status() != status {
        let (got, text) = (res.status(), res.text().await.unwrap_or_default());
        bail!("{what}: expected {status}, got {got}: {text}");
    }
    Ok(res)
}

fn credentials(email: &str) -> Credentials {
    let (email, password) = (email.to_owned(), PASSWORD.to_owned());
    Credentials { email, password }
}
