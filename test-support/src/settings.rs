//! The environment of a server under test: the settings it starts with, and nothing else (no
//! variable of the caller's shell, no `.env` file).

use std::{collections::BTreeMap, ffi::OsStr, io, path::Path, process::Command, process::Stdio};

/// The access tokens' signing key of servers under test (made for the tests with `openssl genpkey
/// -algorithm ed25519`; it signs nothing anywhere else).
pub const TEST_SIGNING_KEY: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIFdcWr0K2hrWIXq1D2jwIUVZjQ19KabL+RBFFS0GAEBM
-----END PRIVATE KEY-----
";

/// Development mode, quick to test: a fixed signing key, any free port, the cheapest bcrypt, no
/// rate limits.
const TEST: &[(&str, &str)] = &[
    ("APP_MODE", "dev"),
    ("JWT_SIGNING_KEYS", TEST_SIGNING_KEY),
    ("BIND_ADDR", "127.0.0.1:0"),
    ("BCRYPT_COST", "4"),
    ("RATE_LIMIT_ENABLED", "false"),
    ("ACCESS_TOKEN_TTL", "900"),
    ("REFRESH_TOKEN_TTL", "86400"),
];

/// Production mode as the image runs it (docker/Dockerfile's ENV, the ECS task's log level,
/// signing key and email settings); every other setting at its default. Nothing listens on the SMTP
/// port: emails wait in the outbox.
const PRODUCTION: &[(&str, &str)] = &[
    ("APP_MODE", "prod"),
    ("LOG_FORMAT", "json"),
    ("RUST_LOG", "info"),
    ("SMTP_URL", "smtp://127.0.0.1:9"),
    ("MAIL_FROM", "SaaS Starter <no-reply@example.com>"),
    ("PUBLIC_URL", "https://app.example.com"),
    // Another key than the tests', as `openssl genpkey -algorithm ed25519` gives.
    (
        "JWT_SIGNING_KEYS",
        "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIPXT7hZeqEmvXSBkbn4h1n9xDdt5ALtypEv16hzE2mTb
-----END PRIVATE KEY-----
",
    ),
];

/// A server's settings, by variable name.
#[derive(Debug, Clone)]
pub struct ServerSettings(BTreeMap<String, String>);

impl ServerSettings {
    /// The test settings on the database `database_url` names. Files go to one directory of the
    /// system's temp dir (their keys are random); a test that sweeps it gives its server a
    /// directory of its own (`STORAGE_URL`).
    pub fn test(database_url: &str) -> Self {
        let files = std::env::temp_dir().join("saas-starter-test-files");
        Self::from(TEST)
            .set("DATABASE_URL", database_url)
            .set("STORAGE_URL", format!("file://{}", files.display()))
    }

    /// The production settings on the database `database_url` names.
    pub fn production(database_url: &str) -> Self {
        Self::from(PRODUCTION).set("DATABASE_URL", database_url)
    }

    fn from(settings: &[(&str, &str)]) -> Self {
        Self(BTreeMap::new()).with(settings)
    }

    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.insert(name.to_owned(), value.into());
        self
    }

    /// Each of `overrides` set, in order.
    pub fn with(self, overrides: &[(&str, &str)]) -> Self {
        overrides
            .iter()
            .fold(self, |settings, (name, value)| settings.set(name, *value))
    }

    pub fn without(mut self, name: &str) -> Self {
        self.0.remove(name);
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// For `backend::Config::from_lookup`, which reads the settings in-process.
    pub fn lookup(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    /// `program` with exactly these settings as its environment, run in `dir` (so no `.env` is
    /// found), its stdin closed.
    pub fn command(&self, program: impl AsRef<OsStr>, dir: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env_clear()
            .envs(&self.0)
            .current_dir(dir)
            .stdin(Stdio::null());
        command
    }
}

/// A port of 127.0.0.1 that nobody listened on a moment ago.
pub fn free_port() -> io::Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()
        .map(|address| address.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_and_nothing_else_is_passed_on() {
        let settings = ServerSettings::test("sqlite://x.db")
            .with(&[("APP_MODE", "prod"), ("EXTRA", "1")])
            .without("BCRYPT_COST");
        assert_eq!(settings.get("APP_MODE"), Some("prod"));
        assert_eq!(settings.get("DATABASE_URL"), Some("sqlite://x.db"));
        assert_eq!(settings.get("BCRYPT_COST"), None);
        let command = settings.command("backend", Path::new("/tmp"));
        let env: BTreeMap<_, _> = command.get_envs().collect();
        assert_eq!(env.len(), settings.0.len());
        assert_eq!(env[OsStr::new("EXTRA")], Some(OsStr::new("1")));
    }
}
