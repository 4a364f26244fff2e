//! Paid calls that each carry an `Idempotency-Key` of their own. oha repeats one fixed request,
//! so this load comes from here, over hyper as oha's does: HTTP/1.1, one keep-alive connection per
//! task, each sending its next request as soon as the last is answered. Requests in flight at the
//! deadline are waited for, so every 200 is a debit row. This generator costs the shared cores
//! more than oha does, so its figures are compared with its own run of plain paid calls (no
//! idempotency key), not with oha's.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use http_body_util::{BodyExt, Full};
use hyper::{Request, body::Bytes, client::conn::http1};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::{
    api::{PAID_BODY, PAID_PATH},
    load::LoadResult,
};

/// What one connection saw: the statuses, and each call's latency.
type Seen = (BTreeMap<u16, u64>, Vec<Duration>);

/// Paid calls with the API key `key` on the server at `base_url` (`http://host:port`), from
/// `connections` connections for `duration`; with `run`, each with an idempotency key starting
/// with it (a name no earlier run of the same server used).
pub async fn run(
    base_url: &str,
    key: &str,
    run: Option<&str>,
    connections: u32,
    duration: Duration,
) -> Result<LoadResult> {
    let authority = (base_url.strip_prefix("http://")).context("an http:// server URL")?;
    let start = Instant::now();
    let deadline = start + duration;
    let tasks = (0..connections).map(|connection| {
        let (authority, key) = (authority.to_owned(), key.to_owned());
        let prefix = run.map(|run| format!("{run}-{connection}"));
        tokio::spawn(async move { call_until(&authority, &key, prefix, deadline).await })
    });
    let (mut statuses, mut latencies) = (BTreeMap::new(), Vec::new());
    for task in futures_util::future::join_all(tasks).await {
        let (seen, mut times) = task.context("a load task panicked")??;
        for (status, n) in seen {
            *statuses.entry(status).or_default() += n;
        }
        latencies.append(&mut times);
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let ms = |d: Option<&Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
    let at = |fraction: f64| ms(latencies.get((latencies.len() as f64 * fraction) as usize));
    Ok(LoadResult {
        elapsed,
        statuses,
        errors: BTreeMap::new(),
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        max_ms: ms(latencies.last()),
    })
}

/// One connection's calls until `deadline`; with `prefix`, idempotency keys `{prefix}-{n}`.
async fn call_until(
    authority: &str,
    key: &str,
    prefix: Option<String>,
    deadline: Instant,
) -> Result<Seen> {
    let stream = TcpStream::connect(authority).await?;
    stream.set_nodelay(true)?;
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let (mut statuses, mut latencies) = (BTreeMap::new(), Vec::new());
    for n in 1u64.. {
        if Instant::now() >= deadline {
            break;
        }
        let mut request = Request::post(PAID_PATH)
            .header("host", authority)
            .header("content-type", "application/json")
            .header("x-api-key", key);
        if let Some(prefix) = &prefix {
            request = request.header("idempotency-key", format!("{prefix}-{n}"));
        }
        let request = request.body(Full::new(Bytes::from_static(PAID_BODY.as_bytes())))?;
        let sent = Instant::now();
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        response.into_body().collect().await?;
        latencies.push(sent.elapsed());
        *statuses.entry(status).or_default() += 1;
    }
    Ok((statuses, latencies))
}
