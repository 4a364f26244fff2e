//! Load on the server from this process, over hyper: HTTP/1.1, one keep-alive connection per
//! task, each sending its next request as soon as the last is answered (or on a fixed schedule,
//! for a latency probe). Requests in flight at the deadline are waited for, so every 200 the
//! server gave is counted and successes match the ledger exactly. Unlike a tool that repeats one
//! fixed request, a load can give each request an `Idempotency-Key` of its own.

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use futures_util::future::join_all;
use http_body_util::{BodyExt, Full};
use hyper::{
    Method, Request,
    body::Bytes,
    client::conn::http1::{self, SendRequest},
};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::api::{PAID_BODY, PAID_PATH};

/// One load: a request, its connections and duration.
#[derive(Debug, Clone)]
pub struct Load {
    method: Method,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Bytes,
    connections: u32,
    duration: Duration,
    /// Requests per second on one schedule, their latency counted from when each was due
    /// (so a slow answer also counts against the requests it delayed).
    rate: Option<u32>,
    /// Each request with an idempotency key of its own, `{prefix}-{connection}-{n}`.
    idempotency: Option<String>,
}

impl Load {
    pub fn get(url: String, connections: u32, duration: Duration) -> Self {
        Self {
            method: Method::GET,
            url,
            headers: Vec::new(),
            body: Bytes::new(),
            connections,
            duration,
            rate: None,
            idempotency: None,
        }
    }

    pub fn post_json(url: String, body: String, connections: u32, duration: Duration) -> Self {
        let (method, body) = (Method::POST, Bytes::from(body));
        let load = Self::get(url, connections, duration).header("content-type", "application/json");
        Self {
            method,
            body,
            ..load
        }
    }

    /// Paid calls with an API key, on the server at `base_url`.
    pub fn paid(base_url: &str, key: &str, connections: u32, duration: Duration) -> Self {
        let url = format!("{base_url}{PAID_PATH}");
        Self::post_json(url, PAID_BODY.to_owned(), connections, duration).header("x-api-key", key)
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// One connection sending `per_second` requests a second (a latency probe).
    pub fn rate(self, per_second: u32) -> Self {
        let rate = Some(per_second.max(1));
        Self {
            rate,
            connections: 1,
            ..self
        }
    }

    /// Each request with an idempotency key of its own, starting with `prefix` (a name no earlier
    /// load on the same server used).
    pub fn idempotent(self, prefix: &str) -> Self {
        let idempotency = Some(prefix.to_owned());
        Self {
            idempotency,
            ..self
        }
    }

    /// The same load for `duration`, with idempotency keys of its own: a warm-up.
    pub fn warmup(&self, duration: Duration) -> Self {
        let idempotency = self
            .idempotency
            .as_ref()
            .map(|prefix| format!("{prefix}-warmup"));
        Self {
            duration,
            idempotency,
            ..self.clone()
        }
    }

    /// Connection `connection`'s calls until `deadline`.
    async fn calls(self: Arc<Self>, connection: u32, deadline: Instant) -> Seen {
        let (mut seen, mut sender) = (Seen::default(), None);
        let every = self.rate.map(|r| Duration::from_secs(1) / r);
        let mut due = Instant::now();
        for n in 1u64.. {
            if every.is_some() {
                tokio::time::sleep_until(due.into()).await;
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            let sent = if every.is_some() { due } else { now };
            due += every.unwrap_or_default();
            match self.call(&mut sender, connection, n).await {
                Ok(status) => {
                    seen.latencies.push(sent.elapsed());
                    *seen.statuses.entry(status).or_default() += 1;
                }
                Err(e) => {
                    // A new connection for the next call; not at once, should nothing listen.
                    sender = None;
                    *seen.errors.entry(format!("{e:#}")).or_default() += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
        seen
    }

    /// One request on the connection (opened first if there is none); its status.
    async fn call(
        &self,
        sender: &mut Option<SendRequest<Full<Bytes>>>,
        connection: u32,
        n: u64,
    ) -> Result<u16> {
        let rest = self.url.strip_prefix("http://").context("an http:// URL")?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let sender = match sender {
            Some(sender) => sender,
            None => sender.insert(connect(authority).await?),
        };
        let mut request = Request::builder().method(self.method.clone()).uri(path);
        request = request.header("host", authority);
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        if let Some(prefix) = &self.idempotency {
            request = request.header("idempotency-key", format!("{prefix}-{connection}-{n}"));
        }
        let request = request.body(Full::new(self.body.clone()))?;
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        response.into_body().collect().await?;
        Ok(status)
    }
}

async fn connect(authority: &str) -> Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(authority).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// What connections saw: statuses, errors (requests that got no answer) and latencies.
#[derive(Debug, Default)]
struct Seen {
    statuses: BTreeMap<u16, u64>,
    errors: BTreeMap<String, u64>,
    latencies: Vec<Duration>,
}

impl Seen {
    fn add(&mut self, other: Self) {
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
        for (error, n) in other.errors {
            *self.errors.entry(error).or_default() += n;
        }
        self.latencies.extend(other.latencies);
    }

    fn result(mut self, elapsed: Duration) -> LoadResult {
        self.latencies.sort_unstable();
        let ms = |d: Option<&Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
        let at = |fraction: f64| {
            ms(self
                .latencies
                .get((self.latencies.len() as f64 * fraction) as usize))
        };
        LoadResult {
            elapsed: elapsed.as_secs_f64(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            max_ms: ms(self.latencies.last()),
            statuses: self.statuses,
            errors: self.errors,
        }
    }
}

/// What a load saw.
#[derive(Debug, Clone, Default)]
pub struct LoadResult {
    /// Wall time of the run, seconds.
    pub elapsed: f64,
    pub statuses: BTreeMap<u16, u64>,
    /// Requests that got no response, by error.
    pub errors: BTreeMap<String, u64>,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl LoadResult {
    pub fn count(&self, status: u16) -> u64 {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    pub fn answered(&self) -> u64 {
        self.statuses.values().sum()
    }

    /// Answers with `status` per second.
    pub fn per_sec(&self, status: u16) -> f64 {
        let per_sec = self.count(status) as f64 / self.elapsed;
        if self.elapsed > 0.0 { per_sec } else { 0.0 }
    }

    /// Everything that was not a 200, for the report ("all 200" when nothing).
    pub fn anomalies(&self) -> String {
        let statuses = (self.statuses.iter())
            .filter(|(s, _)| **s != 200)
            .map(|(s, n)| format!("{n} x {s}"));
        let errors = self.errors.iter().map(|(e, n)| format!("{n} x {e}"));
        let all: Vec<String> = statuses.chain(errors).collect();
        if all.is_empty() {
            "all 200".to_owned()
        } else {
            all.join(", ")
        }
    }
}

pub async fn run(load: &Load) -> Result<LoadResult> {
    run_together(std::slice::from_ref(load)).await
}

/// Several loads at once, reported as one: answers add up over the wall time of the longest,
/// latencies are percentiles over every answer.
pub async fn run_together(loads: &[Load]) -> Result<LoadResult> {
    let start = Instant::now();
    let calls = loads.iter().flat_map(|load| {
        let (load, deadline) = (Arc::new(load.clone()), start + load.duration);
        (0..load.connections).map(move |c| tokio::spawn(load.clone().calls(c, deadline)))
    });
    let mut seen = Seen::default();
    for calls in join_all(calls.collect::<Vec<_>>()).await {
        seen.add(calls.context("a load's task panicked")?);
    }
    Ok(seen.result(start.elapsed()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_up_what_the_connections_saw() {
        let seen = |status: u16, ms: u64| Seen {
            statuses: BTreeMap::from([(status, 1)]),
            latencies: vec![Duration::from_millis(ms)],
            ..Seen::default()
        };
        let mut all = seen(200, 3);
        all.add(seen(200, 1));
        all.add(seen(402, 2));
        all.add(Seen {
            errors: BTreeMap::from([("connection refused".to_owned(), 2)]),
            ..Seen::default()
        });
        let r = all.result(Duration::from_secs(2));
        assert_eq!((r.count(200), r.answered(), r.per_sec(200)), (2, 3, 1.0));
        assert_eq!((r.p50_ms, r.max_ms), (2.0, 3.0));
        assert_eq!(r.anomalies(), "1 x 402, 2 x connection refused");
        let nothing = Seen::default().result(Duration::ZERO);
        assert!(nothing.p99_ms.is_nan() && nothing.per_sec(200) == 0.0);
        assert_eq!(nothing.anomalies(), "all 200");
    }
}
