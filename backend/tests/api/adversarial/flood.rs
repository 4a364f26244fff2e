//! Floods meant to slow everyone down or to fill the server's memory: a flood of password changes
//! is refused past the sign-in limit while other clients sign in, a full password-hashing queue
//! answers 503 `busy` at once instead of growing, and 200,000 made-up API keys leave the server's
//! memory where it was.

use std::{
    net::{IpAddr, Ipv4Addr},
    ops::Range,
};

use futures::future::join_all;
use reqwest::{Method, StatusCode, header};
use shared::dto::{ChangePasswordRequest, ErrorBody};

use crate::helpers::*;

const FLOODER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
const OTHER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));
const AUTH_PER_MINUTE: usize = 5;
/// Password changes sent at once by the flooder.
const FLOOD: usize = 40;
/// Sign-ins sent at once at a server with no room to queue a password check.
const LOGINS: usize = 24;
/// Made-up keys sent before memory is measured (the allocator and the connections settle), then
/// while it is.
const WARM_UP_KEYS: usize = 10_000;
const JUNK_KEYS: usize = 200_000;
/// What the server's resident memory may grow by over the made-up keys: the buckets they used to
/// get took ~25 MiB.
const ALLOWED_GROWTH_KIB: u64 = 4 * 1024;

both_backends!(
    a_password_change_flood_is_limited_while_others_sign_in,
    a_full_hashing_queue_answers_busy_at_once,
    made_up_api_keys_leave_memory_flat,
);

/// Each wrong current password cost a full bcrypt, at the API quota, on the queue every sign-in
/// waits in.
async fn a_password_change_flood_is_limited_while_others_sign_in(backend: Backend) {
    let settings = [
        ("RATE_LIMIT_ENABLED", "true"),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "5"),
        ("BCRYPT_COST", "10"),
    ];
    let app = TestApp::spawn_with(backend, &settings).await;
    let flooder = app.browser_at(FLOODER);
    let attacker = flooder.new_user().await;
    let other = app.browser_at(OTHER);
    let user = other.new_user().await;

    let body = ChangePasswordRequest {
        current_password: Some("not the password".into()),
        new_password: "a brand new password".into(),
        revoke_api_keys: false,
    };
    let flood = (0..FLOOD).map(|i| {
        let request = flooder.request(Method::POST, "/api/me/password", attacker.bearer());
        (i, request.json(&body))
    });
    let mut answers = fire(flood.collect());
    let signed_in = other.login(&user.email, PASSWORD).await;
    assert_eq!(signed_in.user.id, user.id);

    let (mut checked, mut limited) = (0, 0);
    while let Some((i, answer)) = answers.recv().await {
        let answer = answer.unwrap_or_else(|| panic!("password change {i} got no answer"));
        let code = serde_json::from_str::<ErrorBody>(&answer.body)
            .unwrap_or_else(|e| panic!("password change {i}: not an error ({e}): {answer:?}"))
            .error
            .code;
        match (answer.status, code.as_str()) {
            (StatusCode::UNAUTHORIZED, "invalid_credentials") => checked += 1,
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited") => limited += 1,
            _ => panic!("password change {i}: {answer:?}"),
        }
    }
    assert!(
        checked <= AUTH_PER_MINUTE && checked + limited == FLOOD,
        "{checked} of {FLOOD} password changes were checked ({limited} limited), at a quota of \
         {AUTH_PER_MINUTE} a minute"
    );
}

/// Password checks used to wait on an unbounded queue: a flood delayed every sign-in without end.
async fn a_full_hashing_queue_answers_busy_at_once(backend: Backend) {
    let settings = [("BCRYPT_QUEUE", "0"), ("BCRYPT_COST", "12")];
    let app = TestApp::spawn_with(backend, &settings).await;
    let user = app.new_user().await;

    let logins = (0..LOGINS).map(|_| app.try_login(&user.email, PASSWORD));
    let (mut signed_in, mut busy) = (0, 0);
    for response in join_all(logins).await {
        if response.status() == StatusCode::OK {
            signed_in += 1;
            continue;
        }
        let retry_after = expect_header(&response, header::RETRY_AFTER.as_str());
        assert!(
            retry_after.parse::<u64>().is_ok_and(|s| s > 0),
            "Retry-After in seconds, got {retry_after:?}"
        );
        expect_error(response, StatusCode::SERVICE_UNAVAILABLE, "busy").await;
        busy += 1;
    }
    assert!(
        signed_in > 0 && busy > 0,
        "{LOGINS} sign-ins at once with no queue: {signed_in} signed in, {busy} busy"
    );
    // Nothing is left waiting: the next sign-in goes through.
    app.login(&user.email, PASSWORD).await;
}

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
