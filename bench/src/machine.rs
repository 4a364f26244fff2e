//! What the report says about where it ran, the SPA's download size, and the criterion
//! micro-benchmarks' latest figures.

use std::{io::Write, path::Path, time::SystemTime};

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

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

impl Machine {
    pub fn read() -> Self {
        let read = |path| std::fs::read_to_string(path).unwrap_or_default();
        let cpu = (read("/proc/cpuinfo").lines())
            .find_map(|l| {
                Some(
                    l.strip_prefix("model name")?
                        .split_once(':')?
                        .1
                        .trim()
                        .to_owned(),
                )
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let memory_kib = test_support::kib_field(&read("/proc/meminfo"), "MemTotal:");
        let load_average = read("/proc/loadavg");
        let load_average: Vec<&str> = load_average.split_whitespace().take(3).collect();
        Self {
            cores: cores(),
            cpu,
            memory_mib: memory_kib.unwrap_or(0) / 1024,
            load_average: load_average.join(" "),
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
        }
    }
}

/// The SPA's first load: per file of index.html and the .js, .wasm and .css in dist/ (by name),
/// its size and the bytes a browser downloads: the build's Brotli copy (`<file>.br`, which the
/// backend sends to browsers that accept `br`) when there is one, else gzip -9. `None` when
/// dist/ has no index.html (the SPA is not built).
pub fn spa_size(dist: &Path) -> Result<Option<Vec<(String, u64, u64)>>> {
    if !dist.join("index.html").is_file() {
        return Ok(None);
    }
    let entries =
        std::fs::read_dir(dist).with_context(|| format!("cannot list {}", dist.display()));
    let mut paths: Vec<_> = entries?.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.retain(|p| p.is_file());
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wanted = [".js", ".wasm", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext));
        if !wanted && name != "index.html" {
            continue;
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let transferred = match std::fs::metadata(path.with_file_name(format!("{name}.br"))) {
            Ok(brotli) => brotli.len(),
            Err(_) => {
                let mut gz = GzEncoder::new(Vec::new(), Compression::best());
                gz.write_all(&bytes)?;
                gz.finish()?.len() as u64
            }
        };
        files.push((name, bytes.len() as u64, transferred));
    }
    Ok(Some(files))
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
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).ok()?).ok()?;
    let mean_ns = v.pointer("/mean/point_estimate")?.as_f64()?;
    let id = new_dir
        .parent()?
        .strip_prefix(root)
        .ok()?
        .to_string_lossy()
        .into_owned();
    let modified: SystemTime = std::fs::metadata(&file).ok()?.modified().ok()?;
    let measured_at = modified.into();
    Some(Micro {
        id,
        mean_ns,
        measured_at,
    })
}
