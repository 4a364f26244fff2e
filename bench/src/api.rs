//! Typed calls to one server: users, keys and credits made through the API, as a customer gets
//! them.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use serde::{Serialize, de::DeserializeOwned};
use shared::{
    dto::{CreateKeyRequest, CreatedKey, Credentials, GrantCreditsRequest, Scope, TokenResponse},
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
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self { client, base })
    }

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
        let res = req.send().await.with_context(|| format!("POST {path}"))?;
        let status = res.status();
        if status != expect {
            let text = res.text().await.unwrap_or_default();
            bail!("POST {path}: expected {expect}, got {status}: {text}");
        }
        res.json()
            .await
            .with_context(|| format!("POST {path}: unexpected answer"))
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

    /// The signed-in user, with a new API key.
    pub async fn with_key(&self, user: &TokenResponse) -> Result<User> {
        // Scoped and expiring, as a careful customer's key is: both checks ride on the key read.
        let body = CreateKeyRequest {
            name: "bench".to_owned(),
            scopes: Some(Scope::ALL.to_vec()),
            expires_in_days: Some(365),
            spend_limit_daily: None,
            spend_limit_monthly: None,
            rate_limit_per_minute: None,
            password: None,
        };
        let key = self.create_key(user, &body).await?;
        Ok(User {
            id: user.user.id,
            key,
        })
    }

    /// Another key of the signed-in user's, scoped to paid calls and limited in every way a key
    /// can be (daily and monthly spend, its own rate), at limits the run never reaches: each
    /// check runs on every call.
    pub async fn limited_key(&self, user: &TokenResponse) -> Result<String> {
        let body = CreateKeyRequest {
            name: "bench limited".to_owned(),
            scopes: Some(vec![Scope::PaidCall]),
            expires_in_days: Some(365),
            spend_limit_daily: Some(KEY_SPEND_LIMIT_MAX),
            spend_limit_monthly: Some(KEY_SPEND_LIMIT_MAX),
            rate_limit_per_minute: Some(KEY_RATE_LIMIT_MAX),
            password: None,
        };
        self.create_key(user, &body).await
    }

    async fn create_key(&self, user: &TokenResponse, body: &CreateKeyRequest) -> Result<String> {
        let token = Some(user.access_token.as_str());
        let key: CreatedKey = self
            .post("/api/keys", token, body, StatusCode::CREATED)
            .await?;
        Ok(key.key)
    }

    /// Grants credits (a negative amount takes them) as an admin.
    pub async fn grant(&self, admin_token: &str, user_id: i64, amount: i64) -> Result<()> {
        let body = GrantCreditsRequest {
            amount,
            reason: "bench".to_owned(),
        };
        let path = format!("/api/admin/users/{user_id}/credits");
        let _: serde_json::Value = self
            .post(&path, Some(admin_token), &body, StatusCode::OK)
            .await?;
        Ok(())
    }
}

fn credentials(email: &str) -> Credentials {
    let (email, password) = (email.to_owned(), PASSWORD.to_owned());
    Credentials { email, password }
}
