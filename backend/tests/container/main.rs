//! The container's runtime contract, checked on the compiled `backend` binary started the way
//! `docker/Dockerfile` and the ECS task definition (`terraform/ecs.tf`) start it: `backend serve`
//! from a clean environment holding only what the image and the task set (APP_MODE=prod,
//! LOG_FORMAT=json, TRUST_PROXY=true, an Ed25519 JWT_SIGNING_KEYS, BIND_ADDR, STATIC_DIR,
//! DATABASE_URL). The image listens on 0.0.0.0:8000; here each server gets 127.0.0.1 and a free
//! port.
//!
//! What the image promises, and each test below checks:
//! - `/healthz` (the Docker HEALTHCHECK, the ALB target group) and `/readyz` answer 200;
//! - `/` and client-side routes serve `STATIC_DIR/index.html`;
//! - migrations ran at start-up (a sign-up works on the fresh database);
//! - every log line on stdout is JSON (CloudWatch);
//! - SIGTERM (what `docker stop` and ECS send) stops it with exit code 0;
//! - prod mode refuses to start without JWT_SIGNING_KEYS, naming it;
//! - two replicas started at the same moment on one fresh PostgreSQL database both come up
//!   (migrations under an advisory lock do not race).
//!
//! PostgreSQL runs on `TEST_DATABASE_URL` (a fresh database per test, dropped afterwards); without
//! it those tests are skipped with a loud warning, and with `CI=true` they fail instead.
//! The test speaks plain HTTP/1.1 over `std::net`, so it needs no async runtime.

use std::{
    fs,
    io::{Read, Write},
    net::TcpStream,
    process::ExitStatus,
    thread,
    time::{Duration, Instant},
};

use test_support::{Backend, ScratchDatabase, ServerChild, ServerSettings, TempDir};

const BINARY: &str = env!("CARGO_BIN_EXE_backend");
/// Written into STATIC_DIR/index.html, looked for in the answers.
const SPA_MARKER: &str = "container-contract-spa-index";
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Actix gives in-flight requests up to 30 s after SIGTERM; an idle server stops at once.
const STOP_TIMEOUT: Duration = Duration::from_secs(35);
const POLL: Duration = Duration::from_millis(25);

#[test]
fn image_contract_on_sqlite() {
    let dir = TempDir::new("container-test-sqlite");
    // Where the image keeps it (./data/app.db), in a folder the server must create.
    let url = format!("sqlite://{}", dir.path().join("data/app.db").display());
    check_image_contract(&dir, &url);
}

#[test]
fn image_contract_on_postgres() {
    let Some(db) = ScratchDatabase::create(Backend::Postgres) else {
        return;
    };
    let dir = TempDir::new("container-test-postgres");
    check_image_contract(&dir, db.url());
}

#[test]
fn prod_refuses_to_start_without_signing_keys() {
    let dir = TempDir::new("container-test-no-key");
    let db = ScratchDatabase::create(Backend::Sqlite).expect("SQLite always runs");
    let settings = image_settings(&dir, db.url()).without("JWT_SIGNING_KEYS");
    let mut server = Server::spawn(&dir, "refused", &settings);
    let status = server.wait_for_exit(START_TIMEOUT);
    let stderr = server.stderr();
    assert!(
        !status.success(),
        "prod mode started without JWT_SIGNING_KEYS:\n{}",
        server.output()
    );
    assert!(
        stderr.contains("JWT_SIGNING_KEYS"),
        "the refusal does not name JWT_SIGNING_KEYS:\n{}",
        server.output()
    );
}

#[test]
fn two_replicas_start_together_on_one_fresh_postgres_database() {
    let Some(db) = ScratchDatabase::create(Backend::Postgres) else {
        return;
    };
    let dir = TempDir::new("container-test-replicas");
    // Both spawned back to back, before either has connected: they race for the migrations.
    let mut replicas: Vec<Server> = ["replica-a", "replica-b"]
        .into_iter()
        .map(|name| Server::spawn(&dir, name, &image_settings(&dir, db.url())))
        .collect();
    for replica in &mut replicas {
        replica.wait_until_healthy();
        let (status, body) = replica.get("/readyz");
        assert_eq!(status, 200, "{}: /readyz said {body}", replica.name());
    }

    // One database behind both: an account made on one signs in on the other.
    let (email, password) = ("replicas@example.com", "correct horse battery");
    let credentials = format!(r#"{{"email":"{email}","password":"{password}"}}"#);
    let (status, body) = replicas[0].post_json("/api/auth/signup", &credentials);
    assert_eq!(status, 201, "sign-up on replica-a: {body}");
    let (status, body) = replicas[1].post_json("/api/auth/login", &credentials);
    assert_eq!(status, 200, "sign-in on replica-b: {body}");

    for replica in &mut replicas {
        replica.stop_with_sigterm();
    }
}

/// Starts the server as the image does and checks everything it promises.
fn check_image_contract(dir: &TempDir, database_url: &str) {
    let mut server = Server::spawn(dir, "server", &image_settings(dir, database_url));
    server.wait_until_healthy();

    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200, "/healthz: {body}");
    let (status, body) = server.get("/readyz");
    assert_eq!(status, 200, "/readyz: {body}");

    for page in ["/", "/dashboard"] {
        let (status, body) = server.get(page);
        assert_eq!(status, 200, "{page}: {body}");
        assert!(
            body.contains(SPA_MARKER),
            "{page} is not STATIC_DIR/index.html: {body}"
        );
    }

    // The migrations ran: the tables exist and a sign-up goes through.
    let (status, body) = server.post_json(
        "/api/auth/signup",
        r#"{"email":"container@example.com","password":"correct horse battery"}"#,
    );
    assert_eq!(status, 201, "sign-up: {body}");

    server.stop_with_sigterm();

    let stdout = server.process.read("stdout");
    assert!(
        stdout.lines().any(|line| line.contains("listening on")),
        "no start-up line on stdout:\n{}",
        server.output()
    );
    for line in stdout.lines().filter(|line| !line.trim().is_empty()) {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "a log line is not JSON (LOG_FORMAT=json): {line}"
        );
    }
}

/// The environment of the image (docker/Dockerfile ENV) plus what the ECS task adds, on a free
/// port of 127.0.0.1.
fn image_settings(dir: &TempDir, database_url: &str) -> ServerSettings {
    let static_dir = dir.path().join("dist");
    if !static_dir.join("index.html").exists() {
        fs::create_dir_all(&static_dir).expect("create STATIC_DIR");
        fs::write(
            static_dir.join("index.html"),
            format!("<!doctype html><html><body><!-- {SPA_MARKER} --></body></html>\n"),
        )
        .expect("write index.html");
    }
    let port = test_support::free_port().expect("no free port");
    ServerSettings::production(database_url)
        .set("BIND_ADDR", format!("127.0.0.1:{port}"))
        .set("STATIC_DIR", static_dir.display().to_string())
        .set("TRUST_PROXY", "true")
}

/// The binary as a child process ([`ServerChild`]: killed if it still runs when dropped), and
/// the port it listens on.
struct Server {
    process: ServerChild,
    port: u16,
}

impl Server {
    fn spawn(dir: &TempDir, name: &str, settings: &ServerSettings) -> Self {
        let port = settings
            .get("BIND_ADDR")
            .and_then(|addr| addr.rsplit(':').next()?.parse().ok())
            .unwrap_or(0);
        // Only what the image and the task set: nothing leaks in from the developer's shell, and
        // no `.env` is found (the working directory is the temp dir).
        let process = ServerChild::spawn(BINARY, &["serve"], settings, dir.path(), name)
            .unwrap_or_else(|e| panic!("cannot start {BINARY}: {e}"));
        Self { process, port }
    }

    fn name(&self) -> &str {
        &self.process.name
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.process.exited()
    }

    fn wait_for_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exited() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not exit within {timeout:?}:\n{}",
                self.name(),
                self.output()
            );
            thread::sleep(POLL);
        }
    }

    /// Polls `/healthz` as the HEALTHCHECK does, until it answers 200.
    fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.exited() {
                panic!("{} exited with {status}:\n{}", self.name(), self.output());
            }
            if let Ok((200, _)) = self.request("GET", "/healthz", None) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} was not healthy within {START_TIMEOUT:?}:\n{}",
                self.name(),
                self.output()
            );
            thread::sleep(POLL);
        }
    }

    /// `docker stop` / ECS: SIGTERM, then the process must exit 0.
    fn stop_with_sigterm(&mut self) {
        (self.process.terminate()).expect("cannot send SIGTERM");
        let status = self.wait_for_exit(STOP_TIMEOUT);
        assert!(
            status.success(),
            "{} exited with {status} after SIGTERM:\n{}",
            self.name(),
            self.output()
        );
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, None)
            .unwrap_or_else(|e| panic!("GET {path} on {}: {e}\n{}", self.name(), self.output()))
    }

    fn post_json(&self, path: &str, body: &str) -> (u16, String) {
        self.request("POST", path, Some(body))
            .unwrap_or_else(|e| panic!("POST {path} on {}: {e}\n{}", self.name(), self.output()))
    }

    /// One HTTP/1.1 request on its own connection; the status code and the raw body.
    fn request(
        &self,
        method: &str,
        path: &str,
        json: Option<&str>,
    ) -> std::io::Result<(u16, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let body = json.unwrap_or("");
        let content = match json {
            Some(_) => format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ),
            None => String::new(),
        };
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n{content}\r\n{body}",
            self.port
        )?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let response = String::from_utf8_lossy(&raw);
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:?}")))?;
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        Ok((status, body))
    }

    fn stderr(&self) -> String {
        self.process.read("stderr")
    }

    fn output(&self) -> String {
        self.process.output()
    }
}
