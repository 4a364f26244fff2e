//! What works: the whole life of a task, the list's filter and pages, guarded changes.

use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{CreateTaskRequest, TaskStatus};

use crate::helpers::*;

both_backends!(
    a_task_is_created_read_changed_and_deleted,
    the_list_filters_by_status_and_reaches_every_task_a_page_at_a_time,
    a_change_at_the_version_seen_succeeds_once_among_many,
);

async fn a_task_is_created_read_changed_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let due = NaiveDate::from_ymd_opt(2030, 1, 31);

    let body = CreateTaskRequest {
        title: "  Write the launch post ".to_owned(),
        description: "Two paragraphs,\nthen a link.".to_owned(),
        status: TaskStatus::Doing,
        due_date: due,
    };
    let response = app.try_create_task(user.bearer(), &body).await;
    let location = expect_header(&response, "location");
    let (created, etag) = expect_task(response, StatusCode::CREATED).await;
    assert_eq!(location, format!("/api/tasks/{}", created.id));
    assert_eq!(etag, "\"1\"");
    assert_eq!(created.title, "Write the launch post", "trimmed");
    assert_eq!(created.description, body.description);
    assert_eq!((created.status, created.due_date), (TaskStatus::Doing, due));
    assert_eq!(created.created_by, Some(user.id));

    let (read, _) = expect_task(
        app.try_task(user.bearer(), created.id).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read, created);

    // Only what is sent changes; `null` clears the due date.
    let change = json!({ "status": "done", "due_date": null });
    let response = app
        .try_update_task(user.bearer(), created.id, Some(&etag), &change)
        .await;
    let (changed, etag) = expect_task(response, StatusCode::OK).await;
    assert_eq!(etag, "\"2\"");
    assert_eq!((changed.status, changed.due_date), (TaskStatus::Done, None));
    assert_eq!(changed.title, created.title);
    assert!(changed.updated_at >= created.updated_at);

    // Without If-Match a change applies to whatever version is there; an empty one changes
    // nothing, not even the version.
    let response = app
        .try_update_task(user.bearer(), created.id, None, &json!({ "title": "Post" }))
        .await;
    let (renamed, _) = expect_task(response, StatusCode::OK).await;
    assert_eq!((renamed.title.as_str(), renamed.version), ("Post", 3));
    let response = app
        .try_update_task(user.bearer(), created.id, Some("\"3\""), &json!({}))
        .await;
    let (same, _) = expect_task(response, StatusCode::OK).await;
    assert_eq!(same, renamed);

    let deleted = app
        .try_delete_task(user.bearer(), created.id, Some("\"3\""))
        .await;
    expect_no_content(deleted).await;
    let gone = app.try_task(user.bearer(), created.id).await;
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.count("tasks").await, 0);
}

async fn the_list_filters_by_status_and_reaches_every_task_a_page_at_a_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let mut made = Vec::new();
    for n in 0..5 {
        let status = TaskStatus::ALL[n % 3];
        let body = CreateTaskRequest {
            title: format!("task {n}"),
            status,
            ..Default::default()
        };
        let task = expect_json::<shared::dto::Task>(
            app.try_create_task(user.bearer(), &body).await,
            StatusCode::CREATED,
        )
        .await;
        made.push(task);
    }
    let newest_first: Vec<i64> = made.iter().rev().map(|t| t.id).collect();

    let ids = |tasks: Vec<shared::dto::Task>| tasks.iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(app.tasks(user.bearer(), "").await), newest_first);
    let first = ids(app.tasks(user.bearer(), "limit=2").await);
    let second = ids(app
        .tasks(user.bearer(), &format!("limit=2&before={}", first[1]))
        .await);
    let third = ids(app
        .tasks(user.bearer(), &format!("limit=2&before={}", second[1]))
        .await);
    assert_eq!([first, second, third].concat(), newest_first);

    let todo = app.tasks(user.bearer(), "status=todo").await;
    let expected: Vec<i64> = made
        .iter()
        .rev()
        .filter(|t| t.status == TaskStatus::Todo)
        .map(|t| t.id)
        .collect();
    assert_eq!(ids(todo), expected);
    assert_eq!(expected.len(), 2);
}

/// Twenty teammates save the version they all read at once: exactly one change lands, the
/// others hear 412 and nothing of theirs is written.
async fn a_change_at_the_version_seen_succeeds_once_among_many(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "contended").await;

    let requests = (0..20)
        .map(|n| {
            let request = app
                .request(
                    reqwest::Method::PATCH,
                    &format!("/api/tasks/{}", task.id),
                    user.bearer(),
                )
                .header("If-Match", "\"1\"")
                .json(&json!({ "title": format!("edit {n}") }));
            (n, request)
        })
        .collect();
    let mut answers = fire(requests);
    let (mut won, mut stale) = (Vec::new(), 0);
    while let Some((n, answer)) = answers.recv().await {
        let answer = answer.expect("an answer");
        match answer.status {
            StatusCode::OK => won.push(n),
            StatusCode::PRECONDITION_FAILED => {
                assert!(
                    answer.body.contains("precondition_failed"),
                    "{}",
                    answer.body
                );
                stale += 1;
            }
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!((won.len(), stale), (1, 19));
    let now = app.task(user.bearer(), task.id).await;
    assert_eq!(now.version, 2);
    assert_eq!(now.title, format!("edit {}", won[0]));
}
