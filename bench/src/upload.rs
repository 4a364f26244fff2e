//! The upload phase: 8 clients upload a 100 MiB file each at once to a fresh server that stores
//! files in the run's directory, then download them; the server's resident memory meanwhile
//! against its idle one, and both throughputs against a plain `cp` of the same bytes on this disk.
//! SQLite only: the bytes take the same path to the same store on either database, which adds
//! one row per file.

use std::{
    future::Future,
    io::Write,
    path::Path,
    time::{Duration, Instant},
};

use anyhow::{Result, ensure};
use futures_util::future::try_join_all;
use hyper::body::Bytes;
use reqwest::{Body, Client, StatusCode, multipart};
use shared::dto::Attachment;
use test_support::{Backend, TempDir};

use crate::{
    api::{Api, send},
    phases::DatabaseRun,
    report::{Goal, pct, rate},
    server::Server,
};

const CLIENTS: u64 = 8;
const MIB: u64 = 1024 * 1024;
const FILE_BYTES: u64 = 100 * MIB;
/// The files are made this many bytes at a time, as they are sent: never held whole.
const CHUNK: usize = 64 * 1024;

pub async fn uploads(r: &mut DatabaseRun) -> Result<()> {
    if r.kind != Backend::Sqlite {
        return Ok(());
    }
    r.say("8 uploads of 100 MiB at once, then their downloads, against cp");
    let (db, dir) = (r.fresh_database()?, TempDir::new_in(&r.scratch, "files")?);
    let store = format!("file://{}", dir.path().join("store").display());
    let quota = (2 * CLIENTS * FILE_BYTES).to_string();
    let servers = r.servers(&db).set("STORAGE_URL", store);
    let servers = servers.set("MAX_UPLOAD_BYTES", FILE_BYTES.to_string());
    let mut server = servers.set("STORAGE_QUOTA_BYTES", quota).spawn("uploads")?;
    server.wait_ready().await?;
    let api = Api::new(server.url(""))?;
    let token = api.signup("uploads@bench.invalid").await?.access_token;
    let task = api.create_task(&token, "bench uploads").await?;
    let url = server.url(&format!("/api/tasks/{task}/attachments"));
    let (client, token) = (
        Client::builder()
            .timeout(Duration::from_secs(600))
            .build()?,
        &token,
    );
    let idle = server.memory_kib("VmRSS:")?;
    let uploads = (0..CLIENTS).map(|i| upload(&client, &url, token, i));
    let (ids, up_seconds, up_peak) = watched(&server, try_join_all(uploads)).await?;
    let file_url = |id| server.url(&format!("/api/attachments/{id}"));
    let downloads = ids
        .into_iter()
        .map(|id| download(&client, file_url(id), token));
    let (_, down_seconds, down_peak) = watched(&server, try_join_all(downloads)).await?;
    server.check_alive()?;
    let cp = (FILE_BYTES / MIB) as f64 / cp_seconds(dir.path()).await?;
    let (total, mib) = ((CLIENTS * FILE_BYTES / MIB) as f64, |kib: u64| {
        kib as f64 / 1024.0
    });
    let (up, down, idle) = (total / up_seconds, total / down_seconds, mib(idle));
    // The server's peak over idle, and the figures it comes from.
    let over_idle = |peak| {
        let (peak, growth) = (mib(peak), mib(peak) - idle);
        (
            growth,
            format!("{growth:+.1} MiB ({peak:.1} MiB vs {idle:.1} MiB idle)"),
        )
    };
    let ((growth, up_memory), (_, down_memory)) = (over_idle(up_peak), over_idle(down_peak));
    let what = "8 clients upload a 100 MiB file each at once (`POST /api/tasks/{id}/attachments`, \
                multipart, streamed), all together";
    let notes = format!("{} of cp; all 201; server memory {up_memory}", pct(up / cp));
    r.figure(what, format!("{} MiB/s", rate(up)), None, notes);
    let what = "then 8 downloads of them at once (`GET /api/attachments/{id}`, streamed)";
    let notes = format!(
        "{} of cp; every byte count right; server memory {down_memory}",
        pct(down / cp)
    );
    r.figure(what, format!("{} MiB/s", rate(down)), None, notes);
    let what = "`cp` of a 100 MiB file in the run's directory (the same disk)";
    r.figure(what, format!("{} MiB/s", rate(cp)), None, String::new());
    r.target(Goal::UploadMemory, up_memory, growth <= 10.0);
    Ok(())
}

/// `work`'s output and seconds, and the server's peak resident memory meanwhile (KiB): VmHWM if
/// it rose (exact), else the highest VmRSS sampled every 5 ms (an earlier peak hides in VmHWM).
async fn watched<T>(
    server: &Server,
    work: impl Future<Output = Result<T>>,
) -> Result<(T, f64, u64)> {
    let (hwm, started, mut sampled) = (server.memory_kib("VmHWM:")?, Instant::now(), 0);
    let sample = async {
        loop {
            match server.memory_kib("VmRSS:") {
                Ok(kib) => sampled = sampled.max(kib),
                Err(e) => return e,
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let output = tokio::select! {
        output = work => output?,
        e = sample => return Err(e),
    };
    let (seconds, peak) = (
        started.elapsed().as_secs_f64(),
        server.memory_kib("VmHWM:")?,
    );
    Ok((output, seconds, if peak > hwm { peak } else { sampled }))
}

/// 64 KiB of printable ASCII lines: plain text to the server's sniffing.
fn text_chunk() -> Vec<u8> {
    let line = b"The quick brown fox jumps over the lazy dog, 0123456789.\n";
    line.iter().copied().cycle().take(CHUNK).collect()
}

/// One client's upload of a generated file, streamed; the new attachment's id.
async fn upload(client: &Client, url: &str, token: &str, i: u64) -> Result<i64> {
    let chunk = Bytes::from(text_chunk());
    let chunks =
        (0..FILE_BYTES / CHUNK as u64).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    let file = Body::wrap_stream(futures_util::stream::iter(chunks));
    let part = multipart::Part::stream_with_length(file, FILE_BYTES).mime_str("text/plain")?;
    let form = multipart::Form::new().part("file", part.file_name(format!("bench-{i}.txt")));
    let request = client.post(url).bearer_auth(token).multipart(form);
    let file: Attachment = send(request, StatusCode::CREATED, url)
        .await?
        .json()
        .await?;
    ensure!(
        file.size == i64::try_from(FILE_BYTES)?,
        "upload {i} stored {} bytes",
        file.size
    );
    Ok(file.id)
}

/// Downloads `url` as a stream, counting its bytes, which must be the file's.
async fn download(client: &Client, url: String, token: &str) -> Result<()> {
    let mut res = send(client.get(&url).bearer_auth(token), StatusCode::OK, &url).await?;
    let mut bytes = 0;
    while let Some(chunk) = res.chunk().await? {
        bytes += chunk.len() as u64;
    }
    ensure!(
        bytes == FILE_BYTES,
        "GET {url}: {bytes} bytes, expected {FILE_BYTES}"
    );
    Ok(())
}

/// Seconds of a plain `cp` of a file of the same size and bytes in `dir`, written first (the
/// median of three copies: one is too noisy on shared cores).
async fn cp_seconds(dir: &Path) -> Result<f64> {
    let (from, chunk) = (dir.join("cp-from.txt"), text_chunk());
    let mut file = std::fs::File::create(&from)?;
    for _ in 0..FILE_BYTES / CHUNK as u64 {
        file.write_all(&chunk)?;
    }
    let mut seconds = Vec::new();
    for copy in 0..3 {
        let (started, to) = (Instant::now(), dir.join(format!("cp-to-{copy}.txt")));
        let status = tokio::process::Command::new("cp")
            .arg(&from)
            .arg(to)
            .status()
            .await?;
        ensure!(status.success(), "cp {} failed: {status}", from.display());
        seconds.push(started.elapsed().as_secs_f64());
    }
    Ok(crate::inprocess::median(&mut seconds))
}
