//! SIGKILL (no graceful shutdown: the OOM killer, a lost machine) in the middle of concurrent paid
//! calls and of a burst of purchases. Restarted on the same database, the server starts cleanly
//! and for every user the balance is the sum of their ledger, every success a client saw is its
//! own ledger entry, and nothing moved that no request asked for. (ops/shutdown.rs: the graceful
//! SIGTERM.)

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::json;
use shared::dto::LedgerEntry;

use crate::helpers::*;

const USERS: usize = 4;
const CREDITS: i64 = 80;
const CALLS_PER_USER: usize = 60;
const PURCHASES_PER_USER: usize = 15;
/// The dev package bought, and what it credits.
const PACKAGE: &str = "starter";
const PACKAGE_CREDITS: i64 = 100;
/// Answers awaited before the kill: the load is under way, most of it still in flight.
const ANSWERS_BEFORE_KILL: usize = 12;

both_backends!(
    sigkill_during_paid_calls_loses_and_creates_no_credit,
    sigkill_during_purchases_loses_and_creates_no_credit
);

async fn sigkill_during_paid_calls_loses_and_creates_no_credit(backend: Backend) {
    let mut server = ServerProcess::start(backend, &[]).await;
    let customers = Customer::sign_up(&server, CREDITS).await;
    let body = json!({ "prompt": "under fire" });
    let requests = customers
        .iter()
        .enumerate()
        .flat_map(|(i, customer)| {
            // Half by token, half by key: both go through the same guard.
            (0..CALLS_PER_USER).map(move |n| (i, customer.auth(n % 2 == 0)))
        })
        .map(|(i, auth)| {
            let request = server.request(Method::POST, "/api/generate-text", auth);
            (i, request.json(&body))
        })
        .collect();

    let outcomes = kill_mid_flight(&mut server, requests).await;
    let server = server.restart().await;

    for (i, customer) in customers.iter().enumerate() {
        let auth = customer.user.bearer();
        let reported = successes(&outcomes, i);
        assert_ledger_consistent(&server, auth).await;
        let debits = assert_answers_recorded(&server, auth, &reported, |e| e.delta < 0).await;
        assert!(
            debits.len() <= CALLS_PER_USER && debits.iter().all(|e| e.delta == -1),
            "one debit of 1 per call at most: {debits:#?}"
        );
        let credits = credits_of(&server, auth).await;
        assert_eq!(credits.len(), 1, "the grant only, no refund: {credits:#?}");
    }
    assert_serves_again(&server, &customers[0]).await;
}

async fn sigkill_during_purchases_loses_and_creates_no_credit(backend: Backend) {
    let mut server = ServerProcess::start(backend, &[]).await;
    let customers = Customer::sign_up(&server, 0).await;
    let body = json!({ "package_id": PACKAGE });
    let requests = customers
        .iter()
        .enumerate()
        .flat_map(|(i, customer)| (0..PURCHASES_PER_USER).map(move |_| (i, customer.user.bearer())))
        .map(|(i, auth)| {
            let request = server.request(Method::POST, "/api/credits/purchase", auth);
            (i, request.json(&body))
        })
        .collect();

    let outcomes = kill_mid_flight(&mut server, requests).await;
    let server = server.restart().await;

    for (i, customer) in customers.iter().enumerate() {
        let auth = customer.user.bearer();
        let reported = successes(&outcomes, i);
        assert_ledger_consistent(&server, auth).await;
        let purchases = assert_answers_recorded(&server, auth, &reported, |e| e.delta > 0).await;
        assert!(
            purchases.len() <= PURCHASES_PER_USER
                && purchases.iter().all(|e| e.delta == PACKAGE_CREDITS),
            "one credit of the package per purchase at most: {purchases:#?}"
        );
        assert_eq!(
            server.ledger(auth).await.len(),
            purchases.len(),
            "nothing but purchases"
        );
    }
    assert_serves_again(&server, &customers[0]).await;
}

/// A signed-up user with credits and an API key.
struct Customer {
    user: TestUser,
    key: String,
}

impl Customer {
    async fn sign_up(server: &TestApp, credits: i64) -> Vec<Self> {
        let mut customers = Vec::new();
        for _ in 0..USERS {
            let browser = server.new_browser();
            let user = if credits > 0 {
                browser.new_user_with_credits(credits).await
            } else {
                browser.new_user().await
            };
            let key = server.create_key(user.bearer(), "load").await.key;
            customers.push(Self { user, key });
        }
        customers
    }

    fn auth(&self, by_token: bool) -> Auth<'_> {
        if by_token {
            self.user.bearer()
        } else {
            Auth::Key(&self.key)
        }
    }
}

/// Sends every request at once, SIGKILLs the server once a few have been answered, and returns
/// each request's outcome tagged with its customer (`None`: the kill cut it).
async fn kill_mid_flight(
    server: &mut ServerProcess,
    requests: Vec<(usize, RequestBuilder)>,
) -> Vec<(usize, Option<Answer>)> {
    let total = requests.len();
    let mut pending = fire(requests);
    let mut outcomes = Vec::new();
    while outcomes.len() < ANSWERS_BEFORE_KILL {
        outcomes.push(
            pending
                .recv()
                .await
                .expect("the load ended before the kill"),
        );
    }
    server.kill();
    while let Some(outcome) = pending.recv().await {
        outcomes.push(outcome);
    }
    let cut = outcomes
        .iter()
        .filter(|(_, answer)| answer.is_none())
        .count();
    println!("SIGKILL with {cut} of {total} requests in flight");
    assert!(
        cut > 0,
        "all {total} requests were answered before the kill: raise the load"
    );
    outcomes
}

/// The balances reported by the successes customer `who` saw; anything else answered before the
/// kill is a failure.
fn successes(outcomes: &[(usize, Option<Answer>)], who: usize) -> Vec<i64> {
    outcomes
        .iter()
        .filter(|(customer, _)| *customer == who)
        .filter_map(|(_, answer)| answer.as_ref())
        .map(|answer| {
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "answered before the kill: {}",
                answer.body
            );
            answer.integer("credits")
        })
        .collect()
}

async fn credits_of(server: &TestApp, auth: Auth<'_>) -> Vec<LedgerEntry> {
    let ledger = server.ledger(auth).await;
    ledger.into_iter().filter(|e| e.delta > 0).collect()
}

/// Restarted, the server is ready and serves paid calls and purchases.
async fn assert_serves_again(server: &ServerProcess, customer: &Customer) {
    expect_json::<serde_json::Value>(server.get("/readyz", Auth::None).await, StatusCode::OK).await;
    let balance = server.buy(customer.user.bearer(), PACKAGE).await;
    server.spend(customer.auth(false), 1).await;
    assert_eq!(server.balance(customer.user.bearer()).await, balance - 1);
    assert_ledger_consistent(server, customer.user.bearer()).await;
    server.assert_no_panic();
}
