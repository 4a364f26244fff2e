//! Logging: `tracing` with `RUST_LOG` filtering, pretty in dev, JSON lines in prod.
//!
//! Lines are written by a background thread, so a request never waits on stdout (a write per
//! request cost ~25% of the throughput of a cheap route). Nothing is dropped: when the queue is
//! full, logging waits. Keep the returned guard alive: dropping it flushes what is queued.

use std::io::BufWriter;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::{EnvFilter, fmt};

use crate::config::LogFormat;

/// Lines the queue holds before logging waits: about half a second of the busiest route's lines
/// at the rates of BENCHMARKS.md. tracing-appender's default (128,000) preallocated and touched
/// 4 MB at start, a tenth of the server's resident memory.
const QUEUED_LINES: usize = 16_384;

pub fn init(format: LogFormat) -> WorkerGuard {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(QUEUED_LINES)
        // Buffered: the thread writes what it drained in one syscall, not one per line (it
        // flushes whenever the queue is empty, so a line still leaves at once on a quiet server).
        .finish(BufWriter::with_capacity(64 * 1024, std::io::stdout()));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(writer);
    // `try_init`: a second call (tests) keeps the first subscriber instead of panicking.
    let _ = match format {
        LogFormat::Pretty => builder.compact().try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    guard
}
