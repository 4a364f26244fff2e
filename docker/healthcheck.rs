//! The image's HEALTHCHECK (and the ECS container health check): the distroless runtime image
//! has no shell and no curl, so this tiny std-only program asks the server's `/healthz` on the
//! loopback address and exits 0 on `200`, 1 otherwise.
//!
//! The port comes from `BIND_ADDR` (the same variable the server reads; default port 8000).
//! Built in the Dockerfile with `rustc -O` (no Cargo, no dependencies).

use std::{
    env,
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    process::ExitCode,
    time::Duration,
};

const DEFAULT_PORT: u16 = 8000;
const TIMEOUT: Duration = Duration::from_secs(3);

fn main() -> ExitCode {
    match check() {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("unhealthy: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn check() -> Result<(), String> {
    let port = env::var("BIND_ADDR")
        .ok()
        .and_then(|addr| addr.trim().rsplit(':').next()?.parse().ok())
        .unwrap_or(DEFAULT_PORT);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream =
        TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| format!("connect {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("send: {e}"))?;
    let mut head = [0u8; 64];
    let read = stream.read(&mut head).map_err(|e| format!("read: {e}"))?;
    let status_line = String::from_utf8_lossy(&head[..read]);
    match status_line.split_whitespace().nth(1) {
        Some("200") => Ok(()),
        Some(code) => Err(format!("/healthz answered {code}")),
        None => Err(format!("not an HTTP answer: {status_line:?}")),
    }
}
