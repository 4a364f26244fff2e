//! Many requests in flight at once, for the tests that break the server under them, and floods
//! of hundreds of thousands, pipelined down a few connections.

use std::{
    collections::BTreeMap,
    io::{self, BufRead, BufReader, Read, Write},
    net::TcpStream,
    ops::Range,
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::{RequestBuilder, StatusCode};
use tokio::sync::mpsc;

use super::app::TestApp;

/// The connections a flood is spread over: more than the server's workers.
const FLOOD_CONNECTIONS: usize = 4;
/// Requests a flood writes before it reads their answers: few enough that the answers fit in
/// the sockets' buffers while it writes.
const FLOOD_BATCH: usize = 64;

/// Bounds each request, so a server that never answers fails the test instead of hanging it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A whole answer: its status, its body and how long it took.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub elapsed: Duration,
}

impl Answer {
    /// Sends `request` and reads the whole answer; `None` when none came (the connection was
    /// refused or cut).
    pub async fn of(request: RequestBuilder) -> Option<Self> {
        let start = Instant::now();
        let response = request.timeout(REQUEST_TIMEOUT).send().await.ok()?;
        let status = response.status();
        let body = response.text().await.ok()?;
        Some(Self {
            status,
            body,
            elapsed: start.elapsed(),
        })
    }

    /// An integer field of a JSON body, e.g. the `credits` a paid call or a purchase reports.
    pub fn integer(&self, field: &str) -> i64 {
        let body: serde_json::Value = serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body));
        body[field]
            .as_i64()
            .unwrap_or_else(|| panic!("no integer {field:?} in {}", self.body))
    }
}

/// Sends every request at once. Each outcome comes back with its tag, in the order they finish;
/// the receiver closes when all have.
pub fn fire<T: Send + 'static>(
    requests: Vec<(T, RequestBuilder)>,
) -> mpsc::UnboundedReceiver<(T, Option<Answer>)> {
    let (sender, outcomes) = mpsc::unbounded_channel();
    for (tag, request) in requests {
        let sender = sender.clone();
        tokio::spawn(async move {
            let _ = sender.send((tag, Answer::of(request).await));
        });
    }
    outcomes
}

/// Sends `GET path` once for each `i` of `numbers`, with the header line `header(i)`, pipelined
/// (HTTP/1.1) down a few connections, and counts the answers by status. A full client would
/// spend far more time on each request than the server does.
pub async fn flood_get(
    app: &TestApp,
    path: &str,
    numbers: Range<usize>,
    header: impl Fn(usize) -> String + Send + Sync + 'static,
) -> BTreeMap<StatusCode, usize> {
    let address = app.address.trim_start_matches("http://").to_owned();
    let header = Arc::new(header);
    let connections = (0..FLOOD_CONNECTIONS).map(|connection| {
        let (address, path, header) = (address.clone(), path.to_owned(), Arc::clone(&header));
        let mine = numbers.clone().skip(connection).step_by(FLOOD_CONNECTIONS);
        tokio::task::spawn_blocking(move || {
            let requests = mine.map(|i| {
                format!(
                    "GET {path} HTTP/1.1\r\nHost: {address}\r\n{}\r\n\r\n",
                    header(i)
                )
            });
            flood_connection(&address, requests)
        })
    });
    let mut statuses = BTreeMap::new();
    for counted in futures::future::join_all(connections).await {
        for (status, count) in counted.expect("a flood connection panicked") {
            *statuses.entry(status).or_default() += count;
        }
    }
    statuses
}

/// Writes `requests` on one connection, a batch at a time, reading each batch's answers.
fn flood_connection(
    address: &str,
    mut requests: impl Iterator<Item = String>,
) -> BTreeMap<StatusCode, usize> {
    let stream = TcpStream::connect(address).expect("a connection to the server");
    let mut writer = stream
        .try_clone()
        .expect("a second handle on the connection");
    let mut reader = BufReader::new(stream);
    let mut statuses = BTreeMap::new();
    loop {
        let batch: Vec<String> = requests.by_ref().take(FLOOD_BATCH).collect();
        if batch.is_empty() {
            return statuses;
        }
        let bytes = batch.concat().into_bytes();
        writer.write_all(&bytes).expect("the requests are written");
        for _ in &batch {
            *statuses.entry(read_answer(&mut reader)).or_default() += 1;
        }
    }
}

/// Reads one answer (its body sized by Content-Length) and returns its status.
fn read_answer(reader: &mut BufReader<TcpStream>) -> StatusCode {
    let mut line = String::new();
    let mut next_line = |line: &mut String| {
        line.clear();
        let read = reader.read_line(line).expect("an answer is read");
        assert!(read > 0, "the server closed the connection");
    };
    next_line(&mut line);
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"));
    let mut length = 0;
    loop {
        next_line(&mut line);
        if line == "\r\n" {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((&line, ""));
        assert!(
            !name.eq_ignore_ascii_case("transfer-encoding"),
            "a chunked answer: {line:?}"
        );
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().expect("a Content-Length");
        }
    }
    io::copy(&mut reader.by_ref().take(length), &mut io::sink()).expect("the body is read");
    status
}

/// Requests in flight at once in a race of paid calls. Enough to race on the pool's every
/// connection, while keeping the client's sockets under the 256 open files macOS allows by
/// default.
const RACE_IN_FLIGHT: usize = 100;

/// What a race of paid calls came to.
#[derive(Debug)]
pub struct Race {
    /// The balance each successful call reported, sorted.
    pub remaining: Vec<i64>,
    /// Calls refused with 402 `insufficient_credits`.
    pub refused: usize,
    /// Calls refused with 402 `key_spend_limit`.
    pub over_key_limit: usize,
}

impl Race {
    /// Exactly `balance` of the `calls` succeeded, each seeing its own balance; the rest were
    /// refused for want of credits.
    pub fn assert_spent_exactly(&self, balance: i64, calls: usize) {
        assert_eq!(
            self.remaining,
            (0..balance).collect::<Vec<_>>(),
            "each success saw its own balance"
        );
        assert_eq!(self.refused, calls - self.remaining.len());
    }
}

impl TestApp {
    /// `calls` paid calls at once, taking turns with the credentials of `auths`. Any answer but
    /// 200 or 402 (`insufficient_credits`, `key_spend_limit`) fails the test.
    pub async fn race_paid_calls(&self, auths: &[super::app::Auth<'_>], calls: usize) -> Race {
        use futures::{StreamExt, stream};

        let outcomes: Vec<(StatusCode, String)> = stream::iter(0..calls)
            .map(|i| async move {
                let response = self.try_generate(auths[i % auths.len()], "race").await;
                let status = response.status();
                (status, response.text().await.expect("a body"))
            })
            .buffer_unordered(RACE_IN_FLIGHT)
            .collect()
            .await;
        let mut race = Race {
            remaining: Vec::new(),
            refused: 0,
            over_key_limit: 0,
        };
        for (status, body) in outcomes {
            match status {
                StatusCode::OK => {
                    let answer: shared::dto::GenerateTextResponse =
                        serde_json::from_str(&body).expect(&body);
                    race.remaining.push(answer.credits);
                }
                StatusCode::PAYMENT_REQUIRED if body.contains("key_spend_limit") => {
                    race.over_key_limit += 1;
                }
                StatusCode::PAYMENT_REQUIRED => {
                    assert!(body.contains("insufficient_credits"), "{body}");
                    race.refused += 1;
                }
                other => panic!("a paid call under load answered {other}: {body}"),
            }
        }
        race.remaining.sort_unstable();
        race
    }
}
