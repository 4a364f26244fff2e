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
        let read = |path| std::fs::read_to_string(path).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let cpu = (cpuinfo.lines())
            .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
            .map_or_else(|| "unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
        let load_average = read("/proc/loadavg");
        Self {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            cpu,
            memory_mib: kib_field(&read("/proc/meminfo"), "MemTotal:").unwrap_or(0) / 1024,
            load_average: load_average
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
        }
    }
}

/// A `<field> <n> kB` line of a /proc file, in KiB.
pub fn kib_field(text: &str, field: &str) -> Option<u64> {
    let value = text.lines().find_map(|l| l.strip_prefix(field))?;
    value.trim().trim_end_matches("kB").trim().parse().ok()
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
    collect_estimates(&root, &root, &mut found);
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

fn collect_estimates(root: &Path, dir: &Path, found: &mut Vec<Micro>) {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    for path in entries.map(|e| e.path()).filter(|p| p.is_dir()) {
        match path.file_name().and_then(|n| n.to_str()) {
            Some("new") => found.extend(read_estimate(root, &path)),
            Some("report") => {}
            _ => collect_estimates(root, &path, found),
        }
    }
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
