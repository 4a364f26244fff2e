//! What is refused, each with a clear 4xx and nothing stored: too large, empty, a type disguised
//! by its name, a name that is a path, a malformed body, another organisation's task or file,
//! a key without the scope, a client gone halfway.

use reqwest::{Method, StatusCode};
use shared::dto::Scope;

use crate::helpers::*;

both_backends!(
    bad_files_are_refused_and_nothing_is_stored,
    malformed_bodies_are_refused_and_nothing_is_stored,
    files_of_another_organization_are_not_found,
    keys_read_and_write_files_by_their_scopes,
    a_cancelled_upload_leaves_nothing,
);

async fn bad_files_are_refused_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("MAX_UPLOAD_BYTES", "100000")]).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "strict").await;

    let too_large = app
        .try_upload(user.bearer(), task.id, "big.png", png_of(100_001))
        .await;
    let error = expect_error(
        too_large,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    assert!(error.message.contains("100000 bytes"), "{}", error.message);
    let empty = app
        .try_upload(user.bearer(), task.id, "empty.txt", Vec::new())
        .await;
    let error = expect_validation_error(empty, "file").await;
    assert_eq!(error.message, "the file is empty");

    // The type is the bytes', not the name's or the client's.
    let disguised = [
        (
            "photo.png",
            b"<!DOCTYPE html><script>alert(1)</script>".to_vec(),
        ),
        (
            "report.pdf",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec(),
        ),
        ("notes.txt", b"\0\x01\x02\x03binary".to_vec()),
        (
            "image.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        ),
    ];
    for (name, bytes) in disguised {
        let response = app.try_upload(user.bearer(), task.id, name, bytes).await;
        expect_error_for(
            name,
            response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }
    for name in ["../../etc/passwd", "..\\windows\\win.ini", "a/b.png", ".."] {
        let response = app
            .try_upload(user.bearer(), task.id, name, png_of(64))
            .await;
        expect_validation_error(response, "file").await;
    }
    assert_eq!(app.count("attachments").await, 0);
    assert_eq!(app.stored_objects().await, 0);
}

async fn malformed_bodies_are_refused_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "strict").await;
    let path = format!("/api/tasks/{}/attachments", task.id);

    let cases: [(Option<&str>, &[u8]); 4] = [
        (Some("multipart/form-data; boundary=x"), b"garbage without a boundary"),
        (
            Some("multipart/form-data; boundary=x"),
            b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG",
        ),
        (Some("application/json"), b"{\"file\": \"a.png\"}"),
        (None, b"raw bytes"),
    ];
    for (content_type, body) in cases {
        let response = app
            .send_raw(
                Method::POST,
                &path,
                content_type,
                body.to_vec(),
                user.bearer(),
            )
            .await;
        let status = response.status();
        assert!(
            status == StatusCode::BAD_REQUEST,
            "{content_type:?}: {status} {}",
            response.text().await.unwrap_or_default()
        );
    }
    let wrong_field = app
        .try_upload_as(user.bearer(), task.id, "document", "a.png", png_of(64))
        .await;
    expect_validation_error(wrong_field, "file").await;
    assert_eq!(app.count("attachments").await, 0);
    assert_eq!(app.stored_objects().await, 0);
}

async fn files_of_another_organization_are_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.new_user().await;
    let task = app.create_task(owner.bearer(), "private").await;
    let file = app
        .upload(owner.bearer(), task.id, "secret.png", png_of(64))
        .await;
    let other = app.new_browser().new_user().await;

    let upload = app
        .try_upload(other.bearer(), task.id, "mine.png", png_of(64))
        .await;
    expect_error(upload, StatusCode::NOT_FOUND, "not_found").await;
    let list = app.try_attachments(other.bearer(), task.id).await;
    expect_error(list, StatusCode::NOT_FOUND, "not_found").await;
    let download = app.try_download(other.bearer(), file.id).await;
    expect_error(download, StatusCode::NOT_FOUND, "not_found").await;
    let delete = app.try_delete_attachment(other.bearer(), file.id).await;
    expect_error(delete, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.attachments(owner.bearer(), task.id).await, [file]);
    assert_eq!(app.stored_objects().await, 1);
}

async fn keys_read_and_write_files_by_their_scopes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "scripted").await;
    let reader = app
        .create_scoped_key(user.bearer(), &[Scope::TasksRead])
        .await;
    let writer = app
        .create_scoped_key(user.bearer(), &[Scope::TasksWrite])
        .await;

    let file = app
        .upload(Auth::Key(&writer.key), task.id, "a.png", png_of(64))
        .await;
    let refused = app
        .try_upload(Auth::Key(&reader.key), task.id, "b.png", png_of(64))
        .await;
    expect_error(refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
    let download = app.try_download(Auth::Key(&reader.key), file.id).await;
    assert_eq!(download.status(), StatusCode::OK);
    let refused = app.try_download(Auth::Key(&writer.key), file.id).await;
    expect_error(refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
    assert_eq!(app.stored_objects().await, 1);
}

/// A client that goes away halfway through its file: neither a row nor an object, nor a part
/// of one on disk, is left behind.
async fn a_cancelled_upload_leaves_nothing(backend: Backend) {
    use std::io::Write;

    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "interrupted").await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let request = format!(
        "POST /api/tasks/{}/attachments HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary=X\r\nContent-Length: 5000000\r\n\r\n\
         --X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n\r\n",
        task.id, user.token
    );
    let files = app.files();
    let dir = files.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).expect("a connection");
        stream.write_all(request.as_bytes()).expect("the head");
        // Past the first parts the store writes (256 KiB each): the partial file is on disk.
        stream
            .write_all(&png_of(1_000_000))
            .expect("part of the file");
        assert!(
            eventually(|| files_under(&dir) > 0),
            "the upload never reached the disk"
        );
        // Then the client is gone.
    })
    .await
    .expect("the client ran");

    let dir = files.path().to_owned();
    let emptied = tokio::task::spawn_blocking(move || eventually(|| files_under(&dir) == 0));
    assert!(
        emptied.await.expect("the check ran"),
        "files left in the store's directory: {}",
        files_under(files.path())
    );
    assert_eq!(app.count("attachments").await, 0);
}

/// Whether `check` holds within five seconds (polled; blocking).
fn eventually(check: impl Fn() -> bool) -> bool {
    (0..50).any(|_| {
        let holds = check();
        if !holds {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        holds
    })
}

/// Every file under `dir`, however deep.
fn files_under(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| match entry.file_type() {
                    Ok(kind) if kind.is_dir() => files_under(&entry.path()),
                    _ => 1,
                })
                .sum()
        })
        .unwrap_or(0)
}
