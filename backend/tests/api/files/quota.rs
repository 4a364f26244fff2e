//! The per-organisation storage quota: decided by one conditional UPDATE with the row, so
//! uploads at once never pass it, and a refused upload leaves no object behind.

use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};

use crate::helpers::*;

both_backends!(
    an_upload_past_the_quota_is_refused_and_leaves_nothing,
    uploads_at_once_never_pass_the_quota,
    a_file_past_the_room_left_is_refused_before_it_is_read,
);

async fn an_upload_past_the_quota_is_refused_and_leaves_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("STORAGE_QUOTA_BYTES", "1000")]).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "full").await;
    let first = app
        .upload(user.bearer(), task.id, "a.png", png_of(600))
        .await;

    let refused = app
        .try_upload(user.bearer(), task.id, "b.png", png_of(600))
        .await;
    let error = expect_error(refused, StatusCode::FORBIDDEN, "storage_quota_exceeded").await;
    assert!(error.message.contains("1000 bytes"), "{}", error.message);
    assert_eq!(app.count("attachments").await, 1);
    assert_eq!(app.stored_objects().await, 1);

    expect_no_content(app.try_delete_attachment(user.bearer(), first.id).await).await;
    app.upload(user.bearer(), task.id, "b.png", png_of(600))
        .await;
}

async fn uploads_at_once_never_pass_the_quota(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("STORAGE_QUOTA_BYTES", "1000")]).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "contended").await;
    let path = format!("/api/tasks/{}/attachments", task.id);

    let requests = (0..8)
        .map(|n| {
            let part = Part::bytes(png_of(300)).file_name(format!("{n}.png"));
            let request = app
                .request(reqwest::Method::POST, &path, user.bearer())
                .multipart(Form::new().part("file", part));
            (n, request)
        })
        .collect();
    let mut answers = fire(requests);
    let (mut stored, mut refused) = (0, 0);
    while let Some((_, answer)) = answers.recv().await {
        let answer = answer.expect("an answer");
        match answer.status {
            StatusCode::CREATED => stored += 1,
            StatusCode::FORBIDDEN => {
                assert!(
                    answer.body.contains("storage_quota_exceeded"),
                    "{}",
                    answer.body
                );
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!((stored, refused), (3, 5));
    assert_eq!(app.count("attachments").await, 3);
    assert_eq!(app.stored_objects().await, 3);
}

/// A file that cannot fit in the room left is refused as soon as that shows, by its declared
/// length or, streamed without one, by its bytes so far: the client is answered while it is
/// still sending, and nothing is stored.
async fn a_file_past_the_room_left_is_refused_before_it_is_read(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("STORAGE_QUOTA_BYTES", "100000")]).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "nearly full").await;
    app.upload(user.bearer(), task.id, "a.png", png_of(60_000))
        .await;
    let head = |framing: &str| {
        format!(
            "POST /api/tasks/{}/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Type: multipart/form-data; boundary=X\r\n{framing}\r\n",
            task.id, user.token
        )
    };
    let part = "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.png\"\r\n\r\n";
    let declared = format!("{}{part}", head("Content-Length: 5000000\r\n"));
    let chunk = png_of(50_000);
    let mut streamed = head("Transfer-Encoding: chunked\r\n").into_bytes();
    for bytes in [part.as_bytes(), &chunk] {
        streamed.extend_from_slice(format!("{:x}\r\n", bytes.len()).as_bytes());
        streamed.extend_from_slice(bytes);
        streamed.extend_from_slice(b"\r\n");
    }
    for (how, sent) in [("declared", declared.into_bytes()), ("streamed", streamed)] {
        let answer = app.answer_to_unfinished(sent).await;
        assert!(
            answer.starts_with("HTTP/1.1 403") && answer.contains("storage_quota_exceeded"),
            "{how}: {answer}"
        );
    }
    assert_eq!(app.count("attachments").await, 1);
    assert_eq!(app.stored_objects().await, 1);
}
