//! Floods meant to slow everyone down or to fill the server's memory: 200,000 made-up API keys
//! leave the server's memory where it was.

use std::ops::Range;

use reqwest::StatusCode;

use crate::helpers::*;

/// Made-up keys sent before memory is measured (the allocator and the connections settle), then
/// while it is.
const WARM_UP_KEYS: usize = 10_000;
const JUNK_KEYS: usize = 200_000;
/// What the server's resident memory may grow by over the made-up keys: the buckets they used to
/// get took ~25 MiB.
const ALLOWED_GROWTH_KIB: u64 = 4 * 1024;

both_backends!(made_up_api_keys_leave_memory_flat);

/// Each made-up key used to get a rate-limit bucket of its own, kept for ever.
async fn made_up_api_keys_leave_memory_flat(backend: Backend) {
    // A log line a request would cost most of the time and fill the log writer's buffer.
    let quiet = "warn,backend=info,backend::http=warn";
    let settings = [("RATE_LIMIT_ENABLED", "true"), ("RUST_LOG", quiet)];
    let server = ServerProcess::start(backend, &settings).await;
    send_made_up_keys(&server, 0..WARM_UP_KEYS).await;
    let before = server.resident_kib();
    send_made_up_keys(&server, WARM_UP_KEYS..WARM_UP_KEYS + JUNK_KEYS).await;
    let after = server.resident_kib();
    println!("{backend:?}: resident {before} KiB, {after} KiB after {JUNK_KEYS} made-up keys");
    assert!(
        after <= before + ALLOWED_GROWTH_KIB,
        "{JUNK_KEYS} made-up keys took the server from {before} KiB to {after} KiB resident"
    );
    server.assert_no_panic();
}

/// `GET /api/me` with the made-up keys numbered `keys`: each is refused (401), or limited (429).
async fn send_made_up_keys(server: &ServerProcess, keys: Range<usize>) {
    let statuses = flood_get(server, "/api/me", keys, |i| {
        format!("X-API-Key: sk_made_up_{i}")
    })
    .await;
    let expected = [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS];
    assert!(
        statuses.keys().all(|status| expected.contains(status)),
        "made-up keys got {statuses:?}"
    );
}
