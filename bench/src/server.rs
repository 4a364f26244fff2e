//! The release server as a child process: started with a clean environment on a free port of
//! 127.0.0.1, killed when its guard drops (also on failure or Ctrl-C).

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use tokio::process::{Child, Command};

use crate::settings::{BCRYPT_COST, Settings};

/// How the servers of one run are configured.
#[derive(Clone)]
pub struct ServerEnv {
    pub bin: PathBuf,
    pub database_url: String,
    pub jwt_secret: String,
    pub rust_log: String,
    /// Working directory (no `.env` there) and where logs go.
    pub dir: PathBuf,
}

impl ServerEnv {
    pub fn new(settings: &Settings, database_url: &str, dir: &Path) -> Self {
        Self {
            bin: settings.backend_bin.clone(),
            database_url: database_url.to_owned(),
            jwt_secret: crate::database::random_suffix().repeat(4),
            rust_log: settings.rust_log.clone(),
            dir: dir.to_path_buf(),
        }
    }

    /// Production settings, with rate limits too high to bite (the limiter still runs on every
    /// request, as in production).
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .current_dir(&self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("APP_MODE", "prod")
            .env("DATABASE_URL", &self.database_url)
            .env("JWT_SECRET", &self.jwt_secret)
            .env("BCRYPT_COST", BCRYPT_COST.to_string())
            .env("RATE_LIMIT_ENABLED", "true")
            .env("RATE_LIMIT_AUTH_PER_MINUTE", "1000000000")
            .env("RATE_LIMIT_API_PER_MINUTE", "1000000000")
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", &self.rust_log)
            .env("STATIC_DIR", self.dir.join("no-spa"))
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    /// `backend <args>` to completion (create-admin, grant-credits); its output on success.
    pub async fn run_task(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Result<String> {
        let mut cmd = self.command(args);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let out = tokio::time::timeout(Duration::from_secs(60), cmd.output())
            .await
            .with_context(|| format!("backend {} took over 60 s", args.join(" ")))?
            .with_context(|| format!("cannot run {}", self.bin.display()))?;
        if !out.status.success() {
            bail!(
                "backend {} failed ({}): {}{}",
                args.first().copied().unwrap_or(""),
                out.status,
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Starts `backend serve` on a free port; returns at once (see `Server::wait_ready`).
    pub fn spawn(&self, name: &str) -> Result<Server> {
        let port = free_port()?;
        let log_path = self.dir.join(format!("{name}-{port}.log"));
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let mut cmd = self.command(&["serve"]);
        cmd.env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .stdout(log.try_clone()?)
            .stderr(log);
        let started = Instant::now();
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", self.bin.display()))?;
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
    pub async fn wait_ready(&mut self, timeout: Duration) -> Result<Duration> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let url = self.url("/readyz");
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited ({status}) before it was ready:\n{}",
                    self.log_tail(20)
                );
            }
            let ready = client
                .get(&url)
                .send()
                .await
                .is_ok_and(|res| res.status().is_success());
            if ready {
                return Ok(self.started.elapsed());
            }
            if self.started.elapsed() > timeout {
                bail!(
                    "the server was not ready after {timeout:?}:\n{}",
                    self.log_tail(20)
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
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmHWM in /proc/<pid>/status")
    }

    /// Fails when the server has died (a crash under load must not pass unnoticed).
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("the server exited ({status}):\n{}", self.log_tail(20));
        }
        Ok(())
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }

    fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// A port of 127.0.0.1 that was free a moment ago.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind 127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
