//! The helper servers the tests run (MailDev, the OpenID provider): started in the background,
//! stopped when the test process exits however it exits, waited for until they listen.

use std::{
    io,
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// How long a helper server may take to listen.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs `command` (its output discarded) under a shell that kills it once this process's end of
/// the shell's stdin closes: `cat` returns then, however this process exits. Keep the `Child`
/// for as long as the server should run.
pub(crate) fn spawn_guarded(command: &[&str], envs: &[(&str, String)]) -> io::Result<Child> {
    Command::new("sh")
        .arg("-c")
        .arg(r#""$0" "$@" >/dev/null 2>&1 & child=$!; cat >/dev/null; kill $child"#)
        .args(command)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .spawn()
}

/// Waits until every one of `ports` on 127.0.0.1 accepts connections.
pub(crate) fn wait_for_ports(ports: &[u16], what: &str) -> io::Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    while ports
        .iter()
        .any(|port| TcpStream::connect(("127.0.0.1", *port)).is_err())
    {
        if Instant::now() > deadline {
            return Err(io::Error::other(format!(
                "{what} did not listen within {START_TIMEOUT:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}
