//! A server binary as a child process, for the tests that need the real process (its log, its
//! exit code, SIGTERM) and for the bench: run with exactly its [`ServerSettings`] in a directory
//! of the caller's (so no `.env` is found), its stdout and stderr in files there, killed if it
//! still runs when dropped (also when a test panics or the bench is interrupted).

use std::{
    ffi::OsStr,
    fs::File,
    io,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus},
};

use crate::ServerSettings;

#[derive(Debug)]
pub struct ServerChild {
    /// Names its output files, and it in messages.
    pub name: String,
    child: Child,
    dir: PathBuf,
    exit: Option<ExitStatus>,
}

impl ServerChild {
    /// `program args` with exactly `settings` as its environment, run in `dir`; its stdout and
    /// stderr go to `<name>.stdout` and `<name>.stderr` there.
    pub fn spawn(
        program: impl AsRef<OsStr>,
        args: &[&str],
        settings: &ServerSettings,
        dir: &Path,
        name: &str,
    ) -> io::Result<Self> {
        let file = |stream: &str| File::create(dir.join(format!("{name}.{stream}")));
        let child = (settings.command(program, dir).args(args))
            .stdout(file("stdout")?)
            .stderr(file("stderr")?)
            .spawn()?;
        let (name, dir) = (name.to_owned(), dir.to_path_buf());
        Ok(Self {
            name,
            child,
            dir,
            exit: None,
        })
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// How it exited, once it has; `None` while it runs.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = (self.child.try_wait()).expect("cannot query a child process");
        }
        self.exit
    }

    /// What it wrote so far on `stream`: `"stdout"` or `"stderr"`.
    pub fn read(&self, stream: &str) -> String {
        let path = self.dir.join(format!("{}.{stream}", self.name));
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// Both streams, for a failure message.
    pub fn output(&self) -> String {
        let (name, stdout, stderr) = (&self.name, self.read("stdout"), self.read("stderr"));
        format!("--- {name} stdout ---\n{stdout}--- {name} stderr ---\n{stderr}")
    }

    /// SIGTERM, as an orchestrator sends it; does not wait.
    pub fn terminate(&self) -> io::Result<()> {
        let pid = self.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status()?;
        if status.success() {
            return Ok(());
        }
        Err(io::Error::other(format!("kill -TERM {pid}: {status}")))
    }

    /// SIGKILL, as the OOM killer or a lost machine does; returns once the process is gone.
    pub fn kill(&mut self) {
        if self.exited().is_none() {
            let _ = self.child.kill();
            self.exit = self.child.wait().ok();
        }
    }

    /// A `<field> <n> kB` line of its `/proc/<pid>/status` (`VmRSS:`, `VmHWM:`), in KiB.
    pub fn status_kib(&self, field: &str) -> io::Result<u64> {
        let path = format!("/proc/{}/status", self.id());
        let no_field = || io::Error::other(format!("no {field} in {path}"));
        kib_field(&std::fs::read_to_string(&path)?, field).ok_or_else(no_field)
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A `<field> <n> kB` line of a /proc file (`status`, `meminfo`), in KiB.
pub fn kib_field(text: &str, field: &str) -> Option<u64> {
    let value = text.lines().find_map(|l| l.strip_prefix(field))?;
    value.trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_fields() {
        let status = "Name:\tbackend\nVmHWM:\t   33792 kB\nVmRSS:\t   30000 kB\n";
        assert_eq!(kib_field(status, "VmHWM:"), Some(33_792));
        assert_eq!(kib_field(status, "VmRSS:"), Some(30_000));
        assert_eq!(kib_field(status, "VmSwap:"), None);
    }

    #[test]
    fn runs_with_its_settings_and_keeps_its_output() {
        let dir = crate::TempDir::new("server-child");
        let settings = ServerSettings::test("sqlite://x.db").set("GREETING", "hello");
        let script = ["-c", "echo $GREETING; echo oops >&2; sleep 30"];
        let mut child = ServerChild::spawn("sh", &script, &settings, dir.path(), "sh").unwrap();
        assert!(child.status_kib("VmRSS:").unwrap() > 0);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(child.read("stdout"), "hello\n");
        assert!(child.output().contains("--- sh stderr ---\noops\n"));
        child.terminate().unwrap();
        while child.exited().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
