//! The release server as a child process: test-support's production settings with rate limits
//! too high to bite, on a free port of 127.0.0.1, killed when its guard drops (also on failure or
//! Ctrl-C).

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use test_support::ServerSettings;
use tokio::process::{Child, Command};

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
    /// Working directory (no `.env` there) and where logs go.
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
        Self {
            bin: run.backend_bin.clone(),
            settings,
            dir: dir.to_path_buf(),
        }
    }

    fn command(&self, settings: &ServerSettings) -> Command {
        let mut command = Command::from(settings.command(&self.bin, &self.dir));
        command.kill_on_drop(true);
        command
    }

    /// `backend create-admin`, as an operator runs it.
    pub async fn create_admin(&self) -> Result<()> {
        let settings = self.settings.clone().set("ADMIN_PASSWORD", PASSWORD);
        let mut command = self.command(&settings);
        command.args(["create-admin", "--email", ADMIN_EMAIL]);
        let out = tokio::time::timeout(TASK_TIMEOUT, command.output())
            .await
            .context("backend create-admin took over 60 s")?
            .with_context(|| format!("cannot run {}", self.bin.display()))?;
        if !out.status.success() {
            bail!(
                "backend create-admin failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        Ok(())
    }

    /// Starts `backend serve` on a free port; returns at once (see `Server::wait_ready`).
    pub fn spawn(&self, name: &str) -> Result<Server> {
        let port = test_support::free_port().context("no free port on 127.0.0.1")?;
        let log_path = self.dir.join(format!("{name}-{port}.log"));
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let settings = self
            .settings
            .clone()
            .set("BIND_ADDR", format!("127.0.0.1:{port}"));
        let mut command = self.command(&settings);
        command.arg("serve").stdout(log.try_clone()?).stderr(log);
        let started = Instant::now();
        let child =
            (command.spawn()).with_context(|| format!("cannot start {}", self.bin.display()))?;
        Ok(Server {
            child,
            port,
            started,
            log_path,
        })
    }
}

pub struct Server {
    child: Child,
    pub port: u16,
    started: Instant,
    log_path: PathBuf,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Polls /readyz until it answers 200; the time from spawn to that answer.
    pub async fn wait_ready(&mut self) -> Result<Duration> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let url = self.url("/readyz");
        loop {
            self.check_alive()?;
            let ready = (client.get(&url).send().await).is_ok_and(|res| res.status().is_success());
            if ready {
                return Ok(self.started.elapsed());
            }
            if self.started.elapsed() > READY_TIMEOUT {
                bail!(
                    "the server was not ready after {READY_TIMEOUT:?}:\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Result<u64> {
        let pid = self.child.id().context("the server has exited")?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .context("cannot read /proc/<pid>/status")?;
        crate::machine::kib_field(&status, "VmHWM:").context("no VmHWM in /proc/<pid>/status")
    }

    /// Fails when the server has died (a crash under load must not pass unnoticed).
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("the server exited ({status}):\n{}", self.log_tail());
        }
        Ok(())
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }

    /// The last 20 lines of the server's log.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}
