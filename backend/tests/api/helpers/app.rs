//! `TestApp`: the real server on a random port, its settings, and a browser-like HTTP client.

use std::sync::Arc;

use backend::clock::Clock;
use reqwest::{Client, Method, RequestBuilder, Response, header};
use serde::Serialize;
use test_support::{MailDev, ScratchDatabase, ServerSettings, TempDir};

use super::database::{self, Backend, DatabaseOutage};

/// Overrides for production mode, with the lowest bcrypt cost it allows (keeps the tests quick),
/// the public URL it requires and email verification off (these tests are about other guards;
/// the email tests run prod mode with MailDev, `TestApp::spawn_with_mail`).
pub const PROD_MODE: &[(&str, &str)] = &[
    ("APP_MODE", "prod"),
    ("PUBLIC_URL", "https://app.example.com"),
    ("BCRYPT_COST", "10"),
    ("REQUIRE_VERIFIED_EMAIL", "false"),
];

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    Key(&'a str),
    BearerAndKey(&'a str, &'a str),
}

impl Auth<'_> {
    fn apply(self, request: RequestBuilder) -> RequestBuilder {
        match self {
            Auth::None => request,
            Auth::Bearer(token) => request.bearer_auth(token),
            Auth::Key(key) => request.header("X-API-Key", key),
            Auth::BearerAndKey(token, key) => request.bearer_auth(token).header("X-API-Key", key),
        }
    }
}

/// A running server and one "browser" talking to it (a client with its own cookie jar).
pub struct TestApp {
    pub address: String,
    pub client: Client,
    settings: Settings,
    db: Arc<ScratchDatabase>,
    /// Where the server keeps files (`STORAGE_URL`), its own, removed with it.
    files: Arc<TempDir>,
    /// The server's clock, which a test moves forward (key expiry, grace periods).
    clock: Clock,
}

/// A server's settings, shared by its browsers.
pub(crate) type Settings = Arc<ServerSettings>;

/// A fresh database and file store, and the settings of a server on them: the test settings,
/// its `DATABASE_URL` and `STORAGE_URL`, then `overrides`.
pub(crate) async fn prepare(
    backend: Backend,
    overrides: &[(&str, &str)],
) -> (Settings, Arc<ScratchDatabase>, Arc<TempDir>) {
    let db = database::create(backend).await;
    let files = TempDir::new("starter-files");
    let settings = ServerSettings::test(db.url())
        .set("STORAGE_URL", format!("file://{}", files.path().display()))
        .with(overrides);
    (Arc::new(settings), Arc::new(db), Arc::new(files))
}

impl TestApp {
    /// Starts the server on a fresh database with the default test settings.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// Starts the server on a fresh database, with some settings overridden.
    pub async fn spawn_with(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        Self::start(backend, overrides, |_| ()).await
    }

    /// Starts the server with MailDev (one per test process) as its SMTP server, some settings
    /// overridden; read what it sends with [`TestApp::mailbox`].
    pub async fn spawn_with_mail(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        let smtp_url = MailDev::shared().smtp_url();
        let with_mail: Vec<(&str, &str)> = [("SMTP_URL", smtp_url.as_str())]
            .into_iter()
            .chain(overrides.iter().copied())
            .collect();
        Self::spawn_with(backend, &with_mail).await
    }

    /// Another server on the same database with the same settings (a second replica), and a
    /// browser talking to it.
    pub async fn replica(&self) -> Self {
        let config = config_from(&self.settings);
        let app = backend::Application::build_with_clock(config, self.clock.clone())
            .await
            .unwrap_or_else(|e| panic!("the replica did not start: {e:?}"));
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Self {
            clock: self.clock.clone(),
            ..Self::at(
                address,
                Arc::clone(&self.settings),
                Arc::clone(&self.db),
                Arc::clone(&self.files),
            )
        }
    }

    /// The inbox of the server's SMTP server (see [`TestApp::spawn_with_mail`]).
    pub fn mailbox(&self) -> &'static MailDev {
        MailDev::shared()
    }

    /// Starts the server once `before(database_url)` has run on the fresh database: a database
    /// as an older release left it, for instance.
    pub async fn spawn_after(backend: Backend, before: impl FnOnce(&str) + Send + 'static) -> Self {
        Self::start(backend, &[], before).await
    }

    async fn start(
        backend: Backend,
        overrides: &[(&str, &str)],
        before: impl FnOnce(&str) + Send + 'static,
    ) -> Self {
        let (settings, db, files) = prepare(backend, overrides).await;
        let url = settings
            .get("DATABASE_URL")
            .expect("a DATABASE_URL")
            .to_owned();
        tokio::task::spawn_blocking(move || before(&url))
            .await
            .expect("the database set-up panicked");
        let clock = Clock::default();
        let app = backend::Application::build_with_clock(config_from(&settings), clock.clone())
            .await
            .unwrap_or_else(|e| panic!("the server did not start on {backend:?}: {e:?}"));
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Self {
            clock,
            ..Self::at(address, settings, db, files)
        }
    }

    /// A browser talking to a server at `address` that runs with `settings` on `db` (and a
    /// clock of its own: one in another process cannot be moved).
    pub(crate) fn at(
        address: String,
        settings: Settings,
        db: Arc<ScratchDatabase>,
        files: Arc<TempDir>,
    ) -> Self {
        Self {
            address,
            client: browser_client(),
            settings,
            db,
            files,
            clock: Clock::default(),
        }
    }

    /// Moves the server's clock (and its replicas') `by` forward.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.clock.advance(by);
    }

    /// The server's configuration, for the command-line tasks (`create_admin`, ...).
    pub fn config(&self) -> backend::Config {
        config_from(&self.settings)
    }

    /// A connection of its own to the server's database, for what the API does not show.
    pub fn connect_to_database(&self) -> backend::db::AnyConnection {
        use r2d2::ManageConnection;
        let config = self.config();
        backend::db::ConnectionManager::new(&config.database_url, config.db_timeout)
            .connect()
            .expect("a connection to the test database")
    }

    /// A setting the server runs with (empty when unset).
    pub fn setting(&self, name: &str) -> &str {
        self.settings.get(name).unwrap_or("")
    }

    /// Takes the database away from the running server (PostgreSQL only).
    pub async fn drop_database(&self) {
        database::drop_now(&self.db).await;
    }

    /// Takes the database away from the running server until the outage ends (see
    /// [`DatabaseOutage`] for how, per backend).
    pub async fn database_outage(&self) -> DatabaseOutage {
        database::begin_outage(&self.db).await
    }

    /// Runs `sql` on the server's database behind its back.
    pub async fn execute_sql(&self, sql: &str) {
        database::execute(&self.db, sql).await;
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        use diesel::prelude::*;

        let mut conn = self.connect_to_database();
        let count = format!("(SELECT COUNT(*) FROM {table})");
        tokio::task::spawn_blocking(move || {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&count))
                .get_result(&mut conn)
        })
        .await
        .expect("the database thread")
        .expect("the count")
    }

    /// `ACCESS_TOKEN_TTL` as configured, in seconds.
    pub fn access_token_ttl(&self) -> i64 {
        self.setting("ACCESS_TOKEN_TTL")
            .parse()
            .expect("ACCESS_TOKEN_TTL is a number")
    }

    /// The server's file store directory, shared with its browsers and restarts.
    pub fn files(&self) -> Arc<TempDir> {
        Arc::clone(&self.files)
    }

    /// A second browser on the same server: same database, its own cookie jar.
    pub fn new_browser(&self) -> Self {
        Self {
            clock: self.clock.clone(),
            ..Self::at(
                self.address.clone(),
                Arc::clone(&self.settings),
                Arc::clone(&self.db),
                Arc::clone(&self.files),
            )
        }
    }

    /// A browser on another machine: same server, its requests coming from `ip` (a loopback
    /// address such as 127.0.0.2, which Linux routes like 127.0.0.1).
    pub fn browser_at(&self, ip: std::net::IpAddr) -> Self {
        let mut other = self.new_browser();
        other.client = browser()
            .local_address(ip)
            .build()
            .expect("a reqwest client");
        other
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request from this browser, with the given credentials.
    pub fn request(&self, method: Method, path: &str, auth: Auth<'_>) -> RequestBuilder {
        auth.apply(self.client.request(method, self.url(path)))
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Response {
        send(self.request(Method::GET, path, auth)).await
    }

    pub async fn delete(&self, path: &str, auth: Auth<'_>) -> Response {
        send(self.request(Method::DELETE, path, auth)).await
    }

    /// A POST without a body (refresh, logout, logout-all).
    pub async fn post_empty(&self, path: &str, auth: Auth<'_>) -> Response {
        send(self.request(Method::POST, path, auth)).await
    }

    pub async fn post_json<B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
        auth: Auth<'_>,
    ) -> Response {
        send(self.request(Method::POST, path, auth).json(body)).await
    }

    pub async fn patch_json<B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
        auth: Auth<'_>,
    ) -> Response {
        send(self.request(Method::PATCH, path, auth).json(body)).await
    }

    /// Any bytes with any (or no) Content-Type: for malformed requests.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        auth: Auth<'_>,
    ) -> Response {
        // On a connection of its own: the server may close one whose body it refused unread
        // (413), and a request reusing it from the pool would fail with `IncompleteMessage`.
        let mut request = self
            .request(method, path, auth)
            .header(header::CONNECTION, "close")
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        send(request).await
    }
}

pub(crate) async fn send(request: RequestBuilder) -> Response {
    request
        .send()
        .await
        .expect("the request did not reach the server")
}

fn browser_client() -> Client {
    browser().build().expect("a reqwest client")
}

/// A browser-like client: it keeps cookies (the refresh cookie), and shows a redirect (an
/// identity provider's flow) rather than following it.
pub(crate) fn browser() -> reqwest::ClientBuilder {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
}

fn config_from(settings: &ServerSettings) -> backend::Config {
    backend::Config::from_lookup(|name| settings.lookup(name))
        .unwrap_or_else(|e| panic!("the test settings were refused: {e:?}"))
}
