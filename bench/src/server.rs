//! The release server as a child process (test-support's [`ServerChild`]): test-support's
//! production settings with rate limits too high to bite, on a free port of 127.0.0.1, killed
//! when dropped (also on failure or Ctrl-C). Its output goes to the run's directory.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail, ensure};
use test_support::{ServerChild, ServerSettings};

use crate::{
    api::{ADMIN_EMAIL, PASSWORD},
    settings::{BCRYPT_COST, Settings},
};

/// A quota no run reaches: the limiter still runs on every request, as in production.
const UNREACHABLE_QUOTA: &str = "1000000000";
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const TASK_TIMEOUT: Duration = Duration::from_secs(60);

/// How the servers on one database are started.
pub struct Servers {
    bin: PathBuf,
    settings: ServerSettings,
    /// Working directory (no `.env` there) and where the output goes.
    dir: PathBuf,
}

impl Servers {
    pub fn new(run: &Settings, database_url: &str, dir: &Path) -> Self {
        let settings = ServerSettings::production(database_url)
            .set("BCRYPT_COST", BCRYPT_COST.to_string())
            .set("RATE_LIMIT_ENABLED", "true")
            .set("RATE_LIMIT_AUTH_PER_MINUTE", UNREACHABLE_QUOTA)
            .set("RATE_LIMIT_API_PER_MINUTE", UNREACHABLE_QUOTA)
            // The seeded users cannot follow the links that would verify them (nothing listens
            // on the image settings' SMTP port): their keys and purchases need no verification.
            .set("REQUIRE_VERIFIED_EMAIL", "false")
            .set("RUST_LOG", &run.rust_log)
            .set("STATIC_DIR", dir.join("no-spa").display().to_string());
        let (bin, dir) = (run.backend_bin.clone(), dir.to_path_buf());
        Self { bin, settings, dir }
    }

    /// With one more setting.
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.settings = self.settings.set(name, value);
        self
    }

    /// `backend create-admin`, as an operator runs it.
    pub async fn create_admin(&self) -> Result<()> {
        let settings = self.settings.clone().set("ADMIN_PASSWORD", PASSWORD);
        let args = ["create-admin", "--email", ADMIN_EMAIL];
        let mut task = ServerChild::spawn(&self.bin, &args, &settings, &self.dir, "create-admin")
            .with_context(|| format!("cannot run {}", self.bin.display()))?;
        let deadline = Instant::now() + TASK_TIMEOUT;
        let status = loop {
            if let Some(status) = task.exited() {
                break status;
            }
            ensure!(
                Instant::now() < deadline,
                "backend create-admin took over 60 s"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        ensure!(
            status.success(),
            "backend create-admin failed ({status}):\n{}",
            task.output()
        );
        Ok(())
    }

    /// Starts `backend serve` on a free port; returns at once (see `Server::wait_ready`).
    pub fn spawn(&self, name: &str) -> Result<Server> {
        let port = test_support::free_port().context("no free port on 127.0.0.1")?;
        let settings = (self.settings.clone()).set("BIND_ADDR", format!("127.0.0.1:{port}"));
        let (name, started) = (format!("{name}-{port}"), Instant::now());
        let process = ServerChild::spawn(&self.bin, &["serve"], &settings, &self.dir, &name)
            .with_context(|| format!("cannot start {}", self.bin.display()))?;
        Ok(Server {
            process,
            port,
            started,
        })
    }
}

pub struct Server {
    process: ServerChild,
    port: u16,
    started: Instant,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Polls /readyz until it answers 200; the time from spawn to that answer.
    pub async fn wait_ready(&mut self) -> Result<Duration> {
        let client = (reqwest::Client::builder().timeout(Duration::from_secs(2))).build()?;
        let url = self.url("/readyz");
        loop {
            self.check_alive()?;
            let ready = (client.get(&url).send().await).is_ok_and(|res| res.status().is_success());
            if ready {
                return Ok(self.started.elapsed());
            }
            let late = self.started.elapsed() > READY_TIMEOUT;
            ensure!(
                !late,
                "not ready after {READY_TIMEOUT:?}:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// A memory figure of `/proc/<pid>/status` in KiB: `VmRSS:` now, or `VmHWM:` (the peak so
    /// far).
    pub fn memory_kib(&self, field: &str) -> Result<u64> {
        Ok(self.process.status_kib(field)?)
    }

    /// Fails when the server has died (a crash under load must not pass unnoticed).
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.process.exited() {
            bail!("the server exited ({status}):\n{}", self.log_tail());
        }
        Ok(())
    }

    /// The last 20 lines of the server's log (stdout), then whatever it wrote on stderr.
    fn log_tail(&self) -> String {
        let log = self.process.read("stdout");
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("{tail}\n{}", self.process.read("stderr"))
    }
}
