//! The compiled `backend` binary as a child process, for what only the real process shows: its
//! log, its start-up line, its exit code and how it stops on SIGTERM.

use std::{
    fmt,
    ops::Deref,
    process::ExitStatus,
    sync::Arc,
    time::{Duration, Instant},
};

use test_support::{ScratchDatabase, ServerChild, ServerSettings, TempDir};

use super::app::{Settings, TestApp, browser, prepare};
use super::database::Backend;

const BINARY: &str = env!("CARGO_BIN_EXE_backend");
/// Every run logs JSON lines, with the backend's own debug events, unless its test says otherwise.
const LOG_SETTINGS: [(&str, &str); 2] =
    [("LOG_FORMAT", "json"), ("RUST_LOG", "info,backend=debug")];
/// The start-up line says this, then the URL the server listens on.
const LISTENING_ON: &str = "listening on ";
/// Bound on start-up, migrations included.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Bound on stopping: Actix gives in-flight requests up to 30 s after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(40);
const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// What a run of the binary printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--- stdout ---\n{}--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }
}

/// The binary serving on its own database, and a browser talking to it (through `Deref`, every
/// [`TestApp`] call works). Killed if it still runs when dropped.
pub struct ServerProcess {
    // Declared first, so dropped first: the process stops before its database goes.
    process: Process,
    app: TestApp,
    settings: Settings,
    db: Arc<ScratchDatabase>,
}

impl ServerProcess {
    /// Starts the binary on a fresh database with the test settings and `overrides`, and waits
    /// for its start-up line.
    pub async fn start(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        let (settings, db, files) = prepare(backend, overrides).await;
        Self::launch(settings, db, files).await
    }

    /// Starts the binary on a fresh SQLite database with a setting it must refuse, and returns
    /// how it exited and what it printed.
    pub async fn start_refused(overrides: &[(&str, &str)]) -> (ExitStatus, Output) {
        let (settings, _db, _files) = prepare(Backend::Sqlite, overrides).await;
        let mut process = Process::spawn(&settings);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = process.exited() {
                return (status, process.output());
            }
            let output = process.output();
            assert!(
                listening_address(&output.stdout).is_none(),
                "the binary started with {overrides:?}:\n{output}"
            );
            assert!(
                Instant::now() < deadline,
                "the binary neither started nor exited within {START_TIMEOUT:?} with \
                 {overrides:?}:\n{output}"
            );
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// [`Self::start_refused`], asserting the refusal: a failure exit and one line on stderr,
    /// naming `variable`. Returns what the binary printed.
    pub async fn assert_start_refused(overrides: &[(&str, &str)], variable: &str) -> Output {
        let (status, output) = Self::start_refused(overrides).await;
        assert!(!status.success(), "{overrides:?} exited with {status}");
        let lines: Vec<&str> = output
            .stderr
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect();
        assert!(
            lines.len() == 1 && lines[0].contains(variable),
            "{overrides:?}: expected one line naming {variable} on stderr:\n{output}"
        );
        output
    }

    /// Stops the binary if it still runs (it must exit 0), then starts it again on the same
    /// database with the same settings.
    pub async fn restart(self) -> Self {
        self.restart_with(&[]).await
    }

    /// [`Self::restart`] with some settings changed.
    pub async fn restart_with(mut self, overrides: &[(&str, &str)]) -> Self {
        if self.process.exited().is_none() {
            self.stop().await;
        }
        let settings = Arc::new(self.settings.as_ref().clone().with(overrides));
        let db = Arc::clone(&self.db);
        let files = self.app.files();
        drop(self);
        Self::launch(settings, db, files).await
    }

    async fn launch(settings: Settings, db: Arc<ScratchDatabase>, files: Arc<TempDir>) -> Self {
        let mut process = Process::spawn(&settings);
        let address = process.listening_address().await;
        let mut app = TestApp::at(address, Arc::clone(&settings), Arc::clone(&db), files);
        // A connection left idle would hold a graceful shutdown for Actix's keep-alive timeout
        // (5 s): close each one after its answer, as a client that has finished does.
        app.client = browser()
            .pool_max_idle_per_host(0)
            .build()
            .expect("a reqwest client");
        Self {
            process,
            app,
            settings,
            db,
        }
    }

    /// Sends SIGTERM, as an orchestrator does, without waiting.
    pub fn terminate(&self) {
        (self.process.child.terminate()).expect("cannot send SIGTERM to the backend");
    }

    /// Waits for the binary to exit, which must be with status 0 and within a bounded time;
    /// returns what it printed.
    pub async fn wait_for_clean_exit(&mut self) -> Output {
        let deadline = Instant::now() + STOP_TIMEOUT;
        let status = loop {
            if let Some(status) = self.process.exited() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the binary did not exit within {STOP_TIMEOUT:?}:\n{}",
                self.output()
            );
            tokio::time::sleep(POLL_INTERVAL).await;
        };
        let output = self.output();
        assert!(
            status.success(),
            "the binary exited with {status}:\n{output}"
        );
        output
    }

    /// SIGTERM, then [`Self::wait_for_clean_exit`].
    pub async fn stop(&mut self) -> Output {
        self.terminate();
        self.wait_for_clean_exit().await
    }

    /// What the binary printed so far.
    pub fn output(&self) -> Output {
        self.process.output()
    }

    /// The directory the binary runs in (where dev mode keeps `data/`).
    pub fn working_dir(&self) -> &std::path::Path {
        self.process.dir.path()
    }

    /// SIGKILL, as the OOM killer or a lost machine does: no graceful shutdown, in-flight
    /// requests cut. Returns once the process is gone.
    pub fn kill(&mut self) {
        self.process.child.kill();
    }

    /// Whether the process still runs.
    pub fn is_running(&mut self) -> bool {
        self.process.exited().is_none()
    }

    /// The process's resident memory (`VmRSS` in /proc), in KiB.
    pub fn resident_kib(&self) -> u64 {
        (self.process.child.status_kib("VmRSS:")).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Fails when the binary logged a panic: a worker thread died, whatever the client saw.
    pub fn assert_no_panic(&self) {
        let output = self.output();
        assert!(
            !output.stderr.contains("panicked at") && !output.stdout.contains("panicked at"),
            "the server panicked:\n{output}"
        );
    }
}

impl Deref for ServerProcess {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.app
    }
}

/// One run of the binary ([`ServerChild`]), its output in a directory of its own.
struct Process {
    child: ServerChild,
    // After the child: its directory goes once it has stopped.
    dir: TempDir,
}

impl Process {
    /// Runs the binary with exactly `settings` (and those of [`LOG_SETTINGS`] they leave unset)
    /// as its environment, in an empty directory: nothing comes from the test's environment or a
    /// `.env` file.
    fn spawn(settings: &ServerSettings) -> Self {
        let dir = TempDir::new("server-output");
        let unset_log_settings: Vec<_> = LOG_SETTINGS
            .into_iter()
            .filter(|(name, _)| settings.get(name).is_none())
            .collect();
        let settings = settings.clone().with(&unset_log_settings);
        let child = ServerChild::spawn(BINARY, &[], &settings, dir.path(), "server")
            .expect("cannot start the backend binary");
        Self { child, dir }
    }

    fn output(&self) -> Output {
        let stdout = self.child.read("stdout");
        let stderr = self.child.read("stderr");
        Output { stdout, stderr }
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.exited()
    }

    /// Waits for the start-up line and returns the URL it names.
    async fn listening_address(&mut self) -> String {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let output = self.output();
            if let Some(address) = listening_address(&output.stdout) {
                return address;
            }
            if let Some(status) = self.exited() {
                panic!("the binary exited with {status} instead of listening:\n{output}");
            }
            assert!(
                Instant::now() < deadline,
                "the binary did not say where it listens within {START_TIMEOUT:?}:\n{output}"
            );
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
}

/// The `http://host:port` of the start-up line, once it is logged.
fn listening_address(stdout: &str) -> Option<String> {
    stdout.lines().find_map(|line| {
        let (_, rest) = line.split_once(LISTENING_ON)?;
        let url = rest.split([' ', '"']).next()?;
        url.starts_with("http://").then(|| url.to_owned())
    })
}
