//! Load from a separate process: oha, with its JSON report read into what the report needs.

use std::{collections::BTreeMap, path::Path, time::Duration};

use anyhow::{Context, Result, ensure};
use serde::Deserialize;
use tokio::process::Command;

use crate::api::{PAID_BODY, PAID_PATH};

/// One oha run: a request, its connections and duration.
#[derive(Debug, Clone)]
pub struct Load {
    method: &'static str,
    url: String,
    /// oha's options for the request: body, headers, rate.
    options: Vec<String>,
    connections: u32,
    duration: Duration,
}

impl Load {
    pub fn get(url: String, connections: u32, duration: Duration) -> Self {
        let (method, options) = ("GET", Vec::new());
        Self {
            method,
            url,
            options,
            connections,
            duration,
        }
    }

    /// A JSON body, sent with `content-type: application/json`.
    pub fn post_json(url: String, body: &str, connections: u32, duration: Duration) -> Self {
        let get = Self::get(url, connections, duration);
        Self {
            method: "POST",
            ..get
        }
        .with(["-d", body, "-T", "application/json"])
    }

    /// Paid calls with an API key, on the server at `base_url`.
    pub fn paid(base_url: &str, key: &str, connections: u32, duration: Duration) -> Self {
        let url = format!("{base_url}{PAID_PATH}");
        Self::post_json(url, PAID_BODY, connections, duration).header(&format!("X-API-Key: {key}"))
    }

    pub fn header(self, header: &str) -> Self {
        self.with(["-H", header])
    }

    /// A fixed request rate (a latency probe) instead of as fast as possible.
    pub fn rate(self, per_second: u32) -> Self {
        self.with(["-q", &per_second.to_string(), "--latency-correction"])
    }

    fn with<const N: usize>(mut self, options: [&str; N]) -> Self {
        self.options.extend(options.map(str::to_owned));
        self
    }

    /// The same load for another duration (a warm-up).
    pub fn lasting(&self, duration: Duration) -> Self {
        Self {
            duration,
            ..self.clone()
        }
    }

    fn args(&self) -> Vec<String> {
        let secs = self.duration.as_secs().max(1);
        let (connections, method) = (self.connections, self.method);
        // -w: requests in flight at the deadline are waited for, not aborted: every request the
        // server answered is counted, so successes match the ledger exactly.
        let common = format!(
            "--no-tui --no-color --output-format json -w -z {secs}s -c {connections} -m {method}"
        );
        let common = common.split(' ').map(str::to_owned);
        let options = self.options.iter().chain([&self.url]).cloned();
        common.chain(options).collect()
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

/// Several runs at once, reported as one: answers add up over the longest wall time; latencies
/// are the worst run's.
pub async fn run_together(oha: &Path, loads: &[Load]) -> Result<LoadResult> {
    let results = futures_util::future::try_join_all(loads.iter().map(|l| run(oha, l))).await?;
    Ok(combined(&results))
}

fn combined(results: &[LoadResult]) -> LoadResult {
    let mut all = LoadResult::default();
    for r in results {
        all.elapsed = all.elapsed.max(r.elapsed);
        for (status, n) in &r.statuses {
            *all.statuses.entry(*status).or_default() += n;
        }
        for (error, n) in &r.errors {
            *all.errors.entry(error.clone()).or_default() += n;
        }
        all.p50_ms = all.p50_ms.max(r.p50_ms);
        all.p99_ms = all.p99_ms.max(r.p99_ms);
        all.max_ms = all.max_ms.max(r.max_ms);
    }
    all
}

pub async fn run(oha: &Path, load: &Load) -> Result<LoadResult> {
    let limit = load.duration + Duration::from_secs(60);
    let mut command = Command::new(oha);
    command
        .args(load.args())
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let output = tokio::time::timeout(limit, command.output())
        .await
        .with_context(|| format!("oha did not finish within {limit:?}"))?
        .with_context(|| format!("cannot run {}", oha.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure!(
        output.status.success(),
        "oha failed ({}): {stderr}",
        output.status
    );
    parse(&output.stdout)
        .with_context(|| format!("cannot read oha's report of {} {}", load.method, load.url))
}

/// The parts of `oha --output-format json` the report uses; times in seconds, null when nothing
/// was answered.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OhaReport {
    summary: OhaSummary,
    latency_percentiles: BTreeMap<String, Option<f64>>,
    #[serde(default)]
    status_code_distribution: BTreeMap<u16, u64>,
    #[serde(default)]
    error_distribution: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
struct OhaSummary {
    total: f64,
    slowest: Option<f64>,
}

fn parse(json: &[u8]) -> Result<LoadResult> {
    let report: OhaReport = serde_json::from_slice(json)?;
    let ms = |seconds: Option<f64>| seconds.map_or(f64::NAN, |s| s * 1000.0);
    let percentile = |key: &str| ms(report.latency_percentiles.get(key).copied().flatten());
    Ok(LoadResult {
        elapsed: report.summary.total,
        p50_ms: percentile("p50"),
        p99_ms: percentile("p99"),
        max_ms: ms(report.summary.slowest),
        statuses: report.status_code_distribution,
        errors: report.error_distribution,
    })
}

/// `oha --version`, for the report.
pub async fn version(oha: &Path) -> String {
    let output = Command::new(oha).arg("--version").output().await;
    (output.ok())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "oha (version unknown)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_oha_json() {
        let json = r#"{
          "summary": {"successRate": 1.0, "total": 2.0, "slowest": 0.0201, "fastest": 0.0008,
                      "average": 0.0035, "requestsPerSec": 558.6},
          "latencyPercentiles": {"p50": 0.002, "p99": 0.016, "p99.9": 0.02},
          "statusCodeDistribution": {"200": 1000, "402": 10},
          "errorDistribution": {"aborted due to deadline": 2}
        }"#;
        let r = parse(json.as_bytes()).unwrap();
        assert_eq!((r.count(200), r.answered()), (1000, 1010));
        assert!((r.per_sec(200) - 500.0).abs() < 1e-9);
        assert!((r.p99_ms - 16.0).abs() < 1e-9 && (r.max_ms - 20.1).abs() < 1e-9);
        assert_eq!(r.anomalies(), "10 x 402, 2 x aborted due to deadline");
    }

    #[test]
    fn reads_an_empty_run() {
        let json = r#"{"summary": {"total": 1.0, "slowest": null},
                       "latencyPercentiles": {"p50": null, "p99": null},
                       "statusCodeDistribution": {}, "errorDistribution": {"connection refused": 5}}"#;
        let r = parse(json.as_bytes()).unwrap();
        assert_eq!(r.answered(), 0);
        assert!(r.p99_ms.is_nan());
        assert_eq!(r.anomalies(), "5 x connection refused");
        assert_eq!(LoadResult::default().anomalies(), "all 200");
    }

    #[test]
    fn combines_runs_at_once() {
        let run = |elapsed: f64, ok: u64, p99_ms: f64| LoadResult {
            elapsed,
            statuses: BTreeMap::from([(200, ok)]),
            p99_ms,
            ..LoadResult::default()
        };
        let all = combined(&[run(2.0, 1000, 3.0), run(2.5, 1500, 5.0)]);
        assert_eq!(all.count(200), 2500);
        assert!((all.per_sec(200) - 1000.0).abs() < 1e-9);
        assert!((all.p99_ms - 5.0).abs() < 1e-9);
    }

    #[test]
    fn builds_the_command_line() {
        let url = "http://127.0.0.1:1/x".to_owned();
        let load = Load::post_json(url, "{}", 32, Duration::from_secs(10))
            .header("X-API-Key: k")
            .rate(100);
        let args = load.args().join(" ");
        assert!(args.contains("-z 10s -c 32 -m POST -d {} -T application/json -H X-API-Key: k"));
        assert!(args.contains("-q 100 --latency-correction"));
        assert!(args.ends_with("http://127.0.0.1:1/x"));
    }
}
