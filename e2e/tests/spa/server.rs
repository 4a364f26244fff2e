//! The backend, started in-process on a free port with the release SPA as its static files.

use std::path::PathBuf;

use backend::clock::Clock;
use serde_json::{Value, json};
use shared::dto::TokenResponse;
use test_support::{Backend, MailDev, OidcProvider, ScratchDatabase, ServerSettings, free_port};

use crate::{browser::Result, check};

/// The repository's `dist/`, built by `trunk build --release` (`make dist`).
pub fn dist_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ lives in the repository")
        .join("dist")
}

/// The release SPA must exist: `make test` builds it first (`make dist`).
pub fn dist_is_built() -> bool {
    let index = dist_dir().join("index.html");
    if index.exists() {
        return true;
    }
    let message = format!(
        "{} is missing: build the SPA first (`make dist`, i.e. trunk build --release)",
        index.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true and {message}");
    }
    eprintln!("\n******** SKIPPING the browser end-to-end tests: {message} ********\n");
    false
}

pub struct Server {
    pub origin: String,
    pub config: backend::Config,
    handle: actix_web::dev::ServerHandle,
    /// The server's clock, which a test moves forward (a key's grace period).
    clock: Clock,
    // Deleted when the server is dropped.
    _db: ScratchDatabase,
    /// The OpenID provider it signs in with, if any; stopped with it.
    _provider: Option<OidcProvider>,
}

impl Server {
    /// The test settings (test-support's) on a fresh SQLite database, serving `dist/`; emails
    /// go to the log.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Like `start`, with MailDev (one per test process) as the SMTP server, and the links in
    /// the emails pointing at this server.
    pub async fn start_with_mail() -> Self {
        Self::start_linked(&[("SMTP_URL", MailDev::shared().smtp_url())]).await
    }

    /// Like `start_with`, on a port picked first and with `PUBLIC_URL` its own origin, as a
    /// deployment has it: the absolute links it hands out (emails', downloads') lead back to it.
    pub async fn start_linked(overrides: &[(&str, String)]) -> Self {
        let port = free_port().expect("a free port");
        let mut settings = vec![
            ("BIND_ADDR", format!("127.0.0.1:{port}")),
            ("PUBLIC_URL", format!("http://127.0.0.1:{port}")),
        ];
        settings.extend(overrides.iter().cloned());
        Self::start_with(&settings).await
    }

    /// Like `start`, with a real OpenID provider (npm `oidc-provider`) configured as "Local ID",
    /// which sends the browser back to this server.
    pub async fn start_with_provider() -> Self {
        let port = free_port().expect("a free port");
        let origin = format!("http://127.0.0.1:{port}");
        let callback = format!("{origin}/api/auth/oauth/local/callback");
        let provider = OidcProvider::start(&[callback]).expect("the OpenID provider starts");
        let mut overrides: Vec<(String, String)> = provider.settings("local", "Local ID");
        overrides.push(("BIND_ADDR".into(), format!("127.0.0.1:{port}")));
        overrides.push(("PUBLIC_URL".into(), origin));
        let overrides: Vec<(&str, String)> = overrides
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        Self {
            _provider: Some(provider),
            ..Self::start_with(&overrides).await
        }
    }

    /// Like `start`, with these settings (name, value) in place of the test ones.
    pub async fn start_with(overrides: &[(&str, String)]) -> Self {
        let db = ScratchDatabase::create(Backend::Sqlite).expect("SQLite always runs");
        let settings = overrides.iter().fold(
            ServerSettings::test(db.url())
                .set("STATIC_DIR", dist_dir().display().to_string())
                .set("LOG_FORMAT", "pretty"),
            |settings, (name, value)| settings.set(name, value),
        );
        let config = backend::Config::from_lookup(|name| settings.lookup(name))
            .expect("the e2e settings are valid");
        let clock = Clock::default();
        let app = backend::Application::build_with_clock(config.clone(), clock.clone())
            .await
            .expect("the backend starts");
        let origin = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Self {
            origin,
            config,
            handle,
            clock,
            _db: db,
            _provider: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// POSTs `body` to the API (with `bearer`'s rights, if any), as a script would, and reads
    /// the 2xx answer.
    pub async fn post(&self, path: &str, bearer: Option<&str>, body: Value) -> Result<Value> {
        let mut request = reqwest::Client::new().post(self.url(path)).json(&body);
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        let response = request.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = response.status();
        check(status.is_success(), format!("{path}: {status}"))?;
        response.json().await.map_err(|e| format!("{path}: {e}"))
    }

    /// What the API answers a script calling `path` with API key `key`: a POST of `body`, or a
    /// GET without one.
    pub async fn status_with_key(
        &self,
        path: &str,
        key: &str,
        body: Option<Value>,
    ) -> Result<reqwest::StatusCode> {
        let http = reqwest::Client::new();
        let request = match body {
            Some(body) => http.post(self.url(path)).json(&body),
            None => http.get(self.url(path)),
        };
        let response = request.header("X-API-Key", key).send().await;
        response
            .map(|r| r.status())
            .map_err(|e| format!("{path}: {e}"))
    }

    /// An account made through the API, as if signed up elsewhere.
    pub async fn sign_up(&self, email: &str, password: &str) -> Result<TokenResponse> {
        let body = json!({ "email": email, "password": password });
        token(self.post("/api/auth/signup", None, body).await?)
    }

    /// Moves the server's clock `by` forward.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.clock.advance(by);
    }

    /// `backend grant-credits --email`, as an operator would run it: `credits` to the personal
    /// organisation of the account with this email.
    pub async fn grant(&self, email: &str, credits: i64) {
        let (config, grantee) = (
            self.config.clone(),
            backend::tasks::Grantee::PersonalOf(email.to_owned()),
        );
        tokio::task::spawn_blocking(move || {
            backend::tasks::grant_credits(&config, &grantee, credits, "e2e")
        })
        .await
        .expect("grant-credits ran")
        .expect("grant-credits succeeded");
    }

    /// `backend create-admin`, as an operator would run it.
    pub async fn create_admin(&self, email: &str, password: &str) {
        let (config, email, password) =
            (self.config.clone(), email.to_owned(), password.to_owned());
        tokio::task::spawn_blocking(move || {
            use backend::tasks::{IfExists, create_admin};
            create_admin(&config, &email, &password, IfExists::Refuse)
        })
        .await
        .expect("create-admin ran")
        .expect("create-admin succeeded");
    }

    /// Stops the server gracefully, waiting at most a little over Actix's own 30 s shutdown
    /// timeout: an in-process server with the email sender running was seen (rarely) never to
    /// report that it had stopped, after every step of its test had passed.
    pub async fn stop(self) {
        let bound = std::time::Duration::from_secs(35);
        if tokio::time::timeout(bound, self.handle.stop(true))
            .await
            .is_err()
        {
            eprintln!("the in-process server did not report stopping within {bound:?}");
        }
    }
}

/// A sign-in's or sign-up's answer.
pub fn token(answer: Value) -> Result<TokenResponse> {
    serde_json::from_value(answer).map_err(|e| format!("a token answer: {e}"))
}
