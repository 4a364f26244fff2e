//! The database goes away under load (see `DatabaseOutage` in helpers/database.rs for how, per backend). The process
//! stays up, every answer is quick and is either a success or 503 `not_ready` JSON, nothing is
//! lost, and the service heals by itself once the database is back.
//!
//! PostgreSQL: the database refuses connections, so readiness is 503 and so is every call.
//! SQLite: another process holds the write lock, so reads (readiness, the balance) go on and
//! writes (a paid call) are 503.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::dto::{ErrorBody, ErrorCode};

use crate::helpers::*;

/// A connection is waited for this long before the server answers 503.
const SETTINGS: &[(&str, &str)] = &[("DB_TIMEOUT_MS", "500")];
/// Bound on every answer: the 500 ms wait plus room for a busy machine.
const ANSWER_BOUND: Duration = Duration::from_secs(3);
const OUTAGE: Duration = Duration::from_secs(3);
const PROBE_INTERVAL: Duration = Duration::from_millis(250);
/// Bound on healing once the database is back.
const HEAL_BOUND: Duration = Duration::from_secs(15);
const LOAD_CLIENTS: usize = 4;
const LOAD_PAUSE: Duration = Duration::from_millis(20);
const CREDITS: i64 = 100_000;

both_backends!(a_database_outage_under_load_is_quick_503s_then_heals);

async fn a_database_outage_under_load_is_quick_503s_then_heals(backend: Backend) {
    let mut server = ServerProcess::start(backend, SETTINGS).await;
    let user = server.new_user_with_credits(CREDITS).await;
    let key = server.create_key(user.bearer(), "load").await.key;
    let load = Load::start(&server, &user.token, &key);
    tokio::time::sleep(OUTAGE / 4).await;

    let outage = server.database_outage().await;
    let mut during = Vec::new();
    let start = Instant::now();
    while start.elapsed() < OUTAGE {
        for probe in Probe::ALL {
            during.push((probe, probe.send(&server, &key).await));
        }
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
    outage.end().await;
    let healed_in = heal(&server).await;
    let answers = load.stop().await;

    // Nothing lost, whatever the answers were.
    assert!(server.is_running(), "the server died:\n{}", server.output());
    server.assert_no_panic();
    let reported: Vec<i64> = answers
        .iter()
        .flatten()
        .filter(|answer| answer.status == StatusCode::OK)
        .map(|answer| answer.integer("credits"))
        .collect();
    assert_ledger_consistent(&server, user.bearer()).await;
    assert_answers_recorded(&server, user.bearer(), &reported, |e| e.delta < 0).await;

    // Every answer was quick, and a success or 503 `not_ready`.
    let mut problems = Vec::new();
    for (probe, answer) in &during {
        let case = format!("{probe:?} during the outage");
        let expected = if probe.is_served_during_an_outage_of(backend) {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        problems.extend(problem(&case, answer.as_ref(), &[expected]));
    }
    let success_or_not_ready = [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE];
    for answer in &answers {
        let case = "a paid call under load";
        problems.extend(problem(case, answer.as_ref(), &success_or_not_ready));
    }
    let refused = answers.len() - reported.len();
    println!(
        "{backend:?}: {} paid calls under load, {refused} refused; healed in {healed_in:?}",
        answers.len()
    );
    assert!(refused > 0, "the load never met the outage");
    assert!(
        problems.is_empty(),
        "{} bad answers:\n{}\n--- the server's errors ---\n{}",
        problems.len(),
        problems.join("\n"),
        error_lines(&server)
    );
}

/// What is asked of the server while its database is away.
#[derive(Debug, Clone, Copy)]
enum Probe {
    Liveness,
    Readiness,
    Balance,
    PaidCall,
}

impl Probe {
    const ALL: [Probe; 4] = [
        Probe::Liveness,
        Probe::Readiness,
        Probe::Balance,
        Probe::PaidCall,
    ];

    async fn send(self, server: &TestApp, key: &str) -> Option<Answer> {
        let request = match self {
            Probe::Liveness => server.request(Method::GET, "/healthz", Auth::None),
            Probe::Readiness => server.request(Method::GET, "/readyz", Auth::None),
            Probe::Balance => server.request(Method::GET, "/api/credits", Auth::Key(key)),
            Probe::PaidCall => paid_call(server, Auth::Key(key)),
        };
        Answer::of(request).await
    }

    /// Liveness never needs the database (the orchestrator must not restart the server in a
    /// loop); reads go on while SQLite's write lock is held elsewhere; nothing else does.
    fn is_served_during_an_outage_of(self, backend: Backend) -> bool {
        match self {
            Probe::Liveness => true,
            Probe::Readiness | Probe::Balance => backend == Backend::Sqlite,
            Probe::PaidCall => false,
        }
    }
}

fn paid_call(server: &TestApp, auth: Auth<'_>) -> reqwest::RequestBuilder {
    server
        .request(Method::POST, "/api/generate-text", auth)
        .json(&json!({ "prompt": "is the database there?" }))
}

/// Paid calls in a loop from a few clients, by token and by key, until stopped.
struct Load {
    stop: Arc<AtomicBool>,
    clients: Vec<tokio::task::JoinHandle<Vec<Option<Answer>>>>,
}

impl Load {
    fn start(server: &TestApp, token: &str, key: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let clients = (0..LOAD_CLIENTS)
            .map(|client| {
                let (server, stop) = (server.new_browser(), Arc::clone(&stop));
                let (token, key) = (token.to_owned(), key.to_owned());
                tokio::spawn(async move {
                    let mut answers = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        let auth = if client % 2 == 0 {
                            Auth::Bearer(&token)
                        } else {
                            Auth::Key(&key)
                        };
                        answers.push(Answer::of(paid_call(&server, auth)).await);
                        tokio::time::sleep(LOAD_PAUSE).await;
                    }
                    answers
                })
            })
            .collect();
        Self { stop, clients }
    }

    async fn stop(self) -> Vec<Option<Answer>> {
        self.stop.store(true, Ordering::Relaxed);
        let mut answers = Vec::new();
        for client in self.clients {
            answers.extend(client.await.expect("a load client panicked"));
        }
        answers
    }
}

/// Waits for readiness and a successful paid call; returns how long that took.
async fn heal(server: &TestApp) -> Duration {
    let start = Instant::now();
    loop {
        let ready = Answer::of(server.request(Method::GET, "/readyz", Auth::None)).await;
        if ready.is_some_and(|answer| answer.status == StatusCode::OK) {
            break;
        }
        assert!(
            start.elapsed() < HEAL_BOUND,
            "not ready {HEAL_BOUND:?} after the database came back"
        );
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
    let user = server.new_user_with_credits(1).await;
    server.spend(user.bearer(), 1).await;
    start.elapsed()
}

/// What is wrong with an answer, if anything: none came, it was slow, its status is not one of
/// `expected`, or it is a 503 that is not the contract's `not_ready`.
fn problem(case: &str, answer: Option<&Answer>, expected: &[StatusCode]) -> Option<String> {
    let Some(answer) = answer else {
        return Some(format!("{case}: no answer"));
    };
    let summary = format!(
        "{case}: {} in {:?}: {}",
        answer.status, answer.elapsed, answer.body
    );
    if answer.elapsed >= ANSWER_BOUND {
        return Some(format!("{summary} (over {ANSWER_BOUND:?})"));
    }
    if !expected.contains(&answer.status) {
        return Some(format!("{summary} (expected one of {expected:?})"));
    }
    let not_ready = serde_json::from_str::<ErrorBody>(&answer.body)
        .is_ok_and(|body| body.error.code == ErrorCode::NotReady);
    (answer.status == StatusCode::SERVICE_UNAVAILABLE && !not_ready)
        .then(|| format!("{summary} (not the `not_ready` error contract)"))
}

/// The server's log lines about failures other than the expected 503s, for a failure message.
fn error_lines(server: &ServerProcess) -> String {
    let output = server.output();
    let lines: Vec<&str> = output
        .stdout
        .lines()
        .chain(output.stderr.lines())
        .filter(|line| line.contains("\"level\":\"ERROR\"") && !line.contains("\"status\":503"))
        .collect();
    lines[..lines.len().min(10)].join("\n")
}
