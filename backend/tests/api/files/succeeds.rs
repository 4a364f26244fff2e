//! What works with the local file store: a file goes in, comes back the same, and goes away with
//! its row or its task.

use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use shared::dto::Attachment;

use crate::helpers::*;

both_backends!(
    a_file_is_stored_listed_downloaded_and_deleted,
    deleting_a_task_deletes_its_files,
    the_sweep_removes_objects_no_row_names_and_nothing_else,
);

async fn a_file_is_stored_listed_downloaded_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "with a photo").await;
    let bytes = png_of(300_000);

    let response = app
        .try_upload(user.bearer(), task.id, "Photo – été.png", bytes.clone())
        .await;
    let location = expect_header(&response, "location");
    let file: Attachment = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(location, format!("/api/attachments/{}", file.id));
    assert_eq!(
        (file.task_id, file.name.as_str(), file.size),
        (task.id, "Photo – été.png", 300_000)
    );
    assert_eq!(file.content_type, "image/png");
    assert_eq!(file.sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(file.uploaded_by, Some(user.id));
    assert_eq!(
        app.attachments(user.bearer(), task.id).await,
        std::slice::from_ref(&file)
    );

    let download = app.try_download(user.bearer(), file.id).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(expect_header(&download, "content-type"), "image/png");
    assert_eq!(
        expect_header(&download, "x-content-type-options"),
        "nosniff"
    );
    let disposition = expect_header(&download, "content-disposition");
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''Photo%20%E2%80%93%20%C3%A9t%C3%A9.png"),
        "{disposition}"
    );
    assert_eq!(download.bytes().await.expect("the body"), bytes);

    expect_no_content(app.try_delete_attachment(user.bearer(), file.id).await).await;
    let gone = app.try_download(user.bearer(), file.id).await;
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    assert!(app.attachments(user.bearer(), task.id).await.is_empty());
    assert_eq!(app.stored_objects().await, 0);
}

async fn deleting_a_task_deletes_its_files(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("STORAGE_QUOTA_BYTES", "1000")]).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "doomed").await;
    for name in ["a.png", "b.png"] {
        app.upload(user.bearer(), task.id, name, png_of(400)).await;
    }
    assert_eq!(app.stored_objects().await, 2);

    expect_no_content(app.try_delete_task(user.bearer(), task.id, None).await).await;
    assert_eq!(app.stored_objects().await, 0);
    assert_eq!(app.count("attachments").await, 0);
    // Their bytes went back to the quota: 800 more fit again.
    let other = app.create_task(user.bearer(), "next").await;
    for name in ["c.png", "d.png"] {
        app.upload(user.bearer(), other.id, name, png_of(400)).await;
    }
}

/// An upload cut off between its bytes and its row leaves an object no row names: the sweep
/// deletes it, and only objects older than its cutoff, and never one a row names.
async fn the_sweep_removes_objects_no_row_names_and_nothing_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "kept").await;
    let kept = app
        .upload(user.bearer(), task.id, "kept.png", png_of(100))
        .await;

    app.plant_orphan(user.org_id).await;
    assert_eq!(app.stored_objects().await, 2);

    let before = chrono::Utc::now() - chrono::TimeDelta::hours(1);
    let swept = app.sweep_orphans(before).await;
    assert_eq!((swept, app.stored_objects().await), (0, 2), "too young");
    let after = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let swept = app.sweep_orphans(after).await;
    assert_eq!((swept, app.stored_objects().await), (1, 1));
    let download = app.try_download(user.bearer(), kept.id).await;
    assert_eq!(download.status(), StatusCode::OK);
}
