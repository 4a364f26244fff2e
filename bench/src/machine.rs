//! What the report says about where it ran, the SPA's download size, and the criterion
//! micro-benchmarks' latest figures.

use std::{
    io::Write,
    path::{Path, PathBuf},
    time::SystemTime,
};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use flate2::{Compression, write::GzEncoder};

#[derive(Debug, Clone)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub memory_mib: u64,
    /// 1, 5 and 15 minute load averages when the run started.
    pub load_average: String,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
        let memory_mib = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("MemTotal:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .map_or(0, |kib| kib / 1024);
        let load_average = std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|k| k.trim().to_owned())
            .unwrap_or_default();
        Self {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            cpu,
            memory_mib,
            load_average,
            kernel,
        }
    }
}

/// The SPA's first load: per file of index.html and the .js, .wasm and .css in dist/, its size and
/// the bytes a browser downloads: the build's Brotli copy (`<file>.br`, which the backend sends to
/// browsers that accept `br`) when there is one, else gzip -9.
#[derive(Debug, Clone)]
pub struct SpaSize {
    pub files: Vec<(String, u64, u64)>,
}

impl SpaSize {
    pub fn transferred_total(&self) -> u64 {
        self.files.iter().map(|f| f.2).sum()
    }
}

/// `None` when dist/ has no index.html (the SPA is not built).
pub fn spa_size(dist: &Path) -> Result<Option<SpaSize>> {
    if !dist.join("index.html").is_file() {
        return Ok(None);
    }
    let mut files = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dist)
        .with_context(|| format!("cannot list {}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wanted = name == "index.html"
            || [".js", ".wasm", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext));
        if !wanted {
            continue;
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let brotli = path.with_file_name(format!("{name}.br"));
        let transferred = match std::fs::metadata(&brotli) {
            Ok(meta) => meta.len(),
            Err(_) => {
                let mut gz = GzEncoder::new(Vec::new(), Compression::best());
                gz.write_all(&bytes)?;
                gz.finish()?.len() as u64
            }
        };
        files.push((name, bytes.len() as u64, transferred));
    }
    Ok(Some(SpaSize { files }))
}

/// One criterion benchmark's latest mean.
#[derive(Debug, Clone)]
pub struct Micro {
    pub id: String,
    pub mean_ns: f64,
    pub measured_at: DateTime<Utc>,
}

/// The `new/estimates.json` files under target/criterion (`cargo bench -p backend`).
pub fn criterion_results(target_dir: &Path) -> Vec<Micro> {
    let root = target_dir.join("criterion");
    let mut found = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "new") {
                    if let Some(m) = read_estimate(&root, &path) {
                        found.push(m);
                    }
                } else if path.file_name().is_some_and(|n| n != "report") {
                    stack.push(path);
                }
            }
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

fn read_estimate(root: &Path, new_dir: &Path) -> Option<Micro> {
    let file = new_dir.join("estimates.json");
    let text = std::fs::read_to_string(&file).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mean_ns = v.pointer("/mean/point_estimate")?.as_f64()?;
    let id = new_dir
        .parent()?
        .strip_prefix(root)
        .ok()?
        .to_string_lossy()
        .into_owned();
    let modified: SystemTime = std::fs::metadata(&file).ok()?.modified().ok()?;
    Some(Micro {
        id,
        mean_ns,
        measured_at: modified.into(),
    })
}
