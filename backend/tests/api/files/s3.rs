//! The same store behind S3 (moto, a real S3 endpoint): uploads, presigned downloads and links,
//! deletes, the quota and the orphan sweep.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(files_live_in_s3_and_download_from_a_presigned_url);

async fn files_live_in_s3_and_download_from_a_presigned_url(backend: Backend) {
    let s3 = test_support::S3Server::shared().bucket_settings().await;
    let mut settings: Vec<(&str, &str)> = s3
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    settings.push(("STORAGE_QUOTA_BYTES", "10000"));
    let app = TestApp::spawn_with(backend, &settings).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "in the cloud").await;
    // Over one 5 MiB part would need 10 MB: the quota test below keeps files small.
    let bytes = png_of(6000);
    let file = app
        .upload(user.bearer(), task.id, "cloud.png", bytes.clone())
        .await;
    assert_eq!(app.stored_objects().await, 1);

    // A redirect to a presigned URL, which serves the bytes as an attachment.
    let download = app.try_download(user.bearer(), file.id).await;
    assert_eq!(download.status(), StatusCode::FOUND);
    let url = expect_header(&download, "location");
    let endpoint = test_support::S3Server::shared().endpoint();
    assert!(
        url.starts_with(endpoint)
            && url.contains("X-Amz-Signature=")
            && url.contains("X-Amz-Expires=300"),
        "{url}"
    );
    let fetched = reqwest::get(&url).await.expect("the presigned URL answers");
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(expect_header(&fetched, "content-type"), "image/png");
    assert!(expect_header(&fetched, "content-disposition").starts_with("attachment;"));
    assert_eq!(fetched.bytes().await.expect("the body"), bytes);

    // The link the SPA downloads through is a presigned URL too, valid as long.
    let before = chrono::Utc::now();
    let link = app.attachment_link(user.bearer(), file.id).await;
    assert!(
        link.url.starts_with(endpoint)
            && link.url.contains("X-Amz-Signature=")
            && link.url.contains("X-Amz-Expires=300"),
        "{}",
        link.url
    );
    let lifetime = (link.expires_at - before).num_seconds();
    assert!(
        (294..=301).contains(&lifetime),
        "valid 5 minutes: {lifetime}"
    );
    let fetched = reqwest::get(&link.url).await.expect("the link answers");
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(expect_header(&fetched, "content-type"), "image/png");
    assert!(expect_header(&fetched, "content-disposition").starts_with("attachment;"));
    assert_eq!(fetched.bytes().await.expect("the body"), bytes);

    // The quota holds here too, and a refused upload leaves no object.
    let refused = app
        .try_upload(user.bearer(), task.id, "more.png", png_of(6000))
        .await;
    expect_error(refused, StatusCode::FORBIDDEN, "storage_quota_exceeded").await;
    assert_eq!(app.stored_objects().await, 1);

    // An orphan is swept; the file a row names is not.
    app.plant_orphan(user.org_id).await;
    let after = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let swept = app.sweep_orphans(after).await;
    assert_eq!((swept, app.stored_objects().await), (1, 1));

    expect_no_content(app.try_delete_attachment(user.bearer(), file.id).await).await;
    assert_eq!(app.stored_objects().await, 0);
    let gone = reqwest::get(&url).await.expect("an answer");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}
