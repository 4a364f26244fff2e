//! MailDev (npm `maildev`, pinned in package.json): a real SMTP server for the tests, whose inbox
//! is read through its REST API. One runs per test process, on free ports, keeping its mail in
//! a directory of its own; tests tell their emails apart by recipient (every test user has a
//! unique address).

use std::{
    io,
    process::Child,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use serde::Deserialize;

use crate::{
    TempDir, free_port,
    process::{spawn_guarded, wait_for_ports},
};

const BINARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../node_modules/.bin/maildev");
/// How long a test waits for an email before it fails.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(20);

pub struct MailDev {
    smtp_port: u16,
    web_url: String,
    /// The shell that runs MailDev and stops it when this process exits (its stdin closes).
    _guard: Mutex<Child>,
    _dir: TempDir,
}

/// An email as MailDev received it.
#[derive(Debug, Clone, Deserialize)]
pub struct Email {
    pub subject: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub html: String,
    envelope: Envelope,
}

#[derive(Debug, Clone, Deserialize)]
struct Envelope {
    to: Vec<Address>,
}

#[derive(Debug, Clone, Deserialize)]
struct Address {
    address: String,
}

impl Email {
    pub fn is_to(&self, to: &str) -> bool {
        self.envelope
            .to
            .iter()
            .any(|a| a.address.eq_ignore_ascii_case(to))
    }

    /// The token of the link to `page` (`verify-email`, `reset-password`, ...) in the text part.
    pub fn token_for(&self, page: &str) -> String {
        let marker = format!("/{page}?token=");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no /{page} link in {:?}", self.text))
            + marker.len();
        self.text[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect()
    }
}

impl MailDev {
    /// The test process's MailDev, started on first use.
    pub fn shared() -> &'static Self {
        static SHARED: OnceLock<MailDev> = OnceLock::new();
        SHARED.get_or_init(|| {
            Self::start().unwrap_or_else(|e| {
                panic!("cannot start MailDev ({BINARY}): {e}; run `make tools` (npm ci)")
            })
        })
    }

    /// A MailDev of its own on free ports.
    pub fn start() -> io::Result<Self> {
        Self::start_on(free_port()?)
    }

    /// A MailDev of its own with SMTP on `smtp_port` (a server told to use it before it ran).
    pub fn start_on(smtp_port: u16) -> io::Result<Self> {
        let web_port = free_port()?;
        let dir = TempDir::new("maildev");
        let (smtp, web) = (smtp_port.to_string(), web_port.to_string());
        let dir_arg = dir.path().display().to_string();
        let guard = spawn_guarded(
            &[
                BINARY,
                "--ip",
                "127.0.0.1",
                "--web-ip",
                "127.0.0.1",
                "--smtp",
                &smtp,
                "--web",
                &web,
                "--mail-directory",
                &dir_arg,
            ],
            &[],
        )?;
        wait_for_ports(&[smtp_port, web_port], "MailDev")?;
        Ok(Self {
            smtp_port,
            web_url: format!("http://127.0.0.1:{web_port}"),
            _guard: Mutex::new(guard),
            _dir: dir,
        })
    }

    /// `SMTP_URL` for a server under test.
    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp_port)
    }

    pub fn smtp_port(&self) -> u16 {
        self.smtp_port
    }

    /// The web inbox (and its REST API under `/api`).
    pub fn web_url(&self) -> &str {
        &self.web_url
    }

    /// Every email received so far for `to`, oldest first.
    pub async fn emails_to(&self, to: &str) -> Vec<Email> {
        let all: Vec<Email> = reqwest::get(format!("{}/api/email", self.web_url))
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("MailDev answers")
            .json()
            .await
            .expect("MailDev's inbox as JSON");
        all.into_iter().filter(|e| e.is_to(to)).collect()
    }

    /// Waits for the `n`th email (1-based) to `to` whose subject contains `subject`, and
    /// returns it; fails the test after 20 s.
    pub async fn wait_for_nth(&self, to: &str, subject: &str, n: usize) -> Email {
        let deadline = Instant::now() + DELIVERY_TIMEOUT;
        loop {
            let matching: Vec<Email> = self
                .emails_to(to)
                .await
                .into_iter()
                .filter(|e| e.subject.contains(subject))
                .collect();
            if let Some(email) = matching.into_iter().nth(n - 1) {
                return email;
            }
            assert!(
                Instant::now() < deadline,
                "no email #{n} to {to} about {subject:?} within {DELIVERY_TIMEOUT:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for the first email to `to` whose subject contains `subject`.
    pub async fn wait_for(&self, to: &str, subject: &str) -> Email {
        self.wait_for_nth(to, subject, 1).await
    }
}
