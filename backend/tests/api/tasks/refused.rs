//! What is refused, and that a refusal writes nothing: bad input, stale versions, malformed
//! conditions, a task of another organisation.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

both_backends!(
    bad_input_is_named_and_nothing_is_written,
    a_stale_if_match_changes_and_deletes_nothing,
    a_task_of_another_organization_is_not_found,
);

async fn bad_input_is_named_and_nothing_is_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let cases = [
        (json!({ "title": "  " }), "title"),
        (json!({ "title": "a".repeat(201) }), "title"),
        (json!({ "title": "a\u{1b}b" }), "title"),
        (
            json!({ "title": "t", "description": "d".repeat(10_001) }),
            "description",
        ),
        (
            json!({ "title": "t", "due_date": "1850-01-01" }),
            "due_date",
        ),
    ];
    for (body, field) in &cases {
        let response = app.post_json("/api/tasks", body, user.bearer()).await;
        expect_validation_error(response, field).await;
    }
    // Not the contract's shapes at all: 400, the message saying what was wrong.
    for body in [
        json!({ "title": "t", "status": "blocked" }),
        json!({ "title": "t", "due_date": "31/12/2030" }),
        json!({ "title": "t", "owner": 1 }),
        json!({}),
    ] {
        let response = app.post_json("/api/tasks", &body, user.bearer()).await;
        expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    }
    assert_eq!(app.count("tasks").await, 0);

    let task = app.create_task(user.bearer(), "kept").await;
    for (body, field) in &cases {
        let response = app
            .try_update_task(user.bearer(), task.id, None, body)
            .await;
        expect_validation_error(response, field).await;
    }
    for query in [
        "limit=0",
        "limit=201",
        "status=blocked",
        "before=x",
        "colour=red",
    ] {
        let response = app.try_tasks(user.bearer(), query).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    for id in ["x", "99999999999999999999"] {
        let response = app.get(&format!("/api/tasks/{id}"), user.bearer()).await;
        assert!(
            response.status().is_client_error(),
            "{id}: {}",
            response.status()
        );
    }
    assert_eq!(app.task(user.bearer(), task.id).await, task, "unchanged");
}

async fn a_stale_if_match_changes_and_deletes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let task = app.create_task(user.bearer(), "shared").await;
    // A teammate saves first: version 2.
    app.try_update_task(
        user.bearer(),
        task.id,
        Some("\"1\""),
        &json!({ "status": "doing" }),
    )
    .await;

    for stale in ["\"1\"", "W/\"2\"", "\"1\", \"3\""] {
        let response = app
            .try_update_task(
                user.bearer(),
                task.id,
                Some(stale),
                &json!({ "title": "mine" }),
            )
            .await;
        let error = expect_error(
            response,
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
        )
        .await;
        assert!(
            error.message.contains("changed since you read it"),
            "{}",
            error.message
        );
        let response = app
            .try_delete_task(user.bearer(), task.id, Some(stale))
            .await;
        expect_error(
            response,
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
        )
        .await;
    }
    for malformed in ["2", "\"2"] {
        let response = app
            .try_update_task(
                user.bearer(),
                task.id,
                Some(malformed),
                &json!({ "title": "mine" }),
            )
            .await;
        expect_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
        let response = app
            .try_delete_task(user.bearer(), task.id, Some(malformed))
            .await;
        expect_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    let now = app.task(user.bearer(), task.id).await;
    assert_eq!((now.title.as_str(), now.version), ("shared", 2));

    // `*` and the current version both pass.
    let response = app
        .try_update_task(
            user.bearer(),
            task.id,
            Some("*"),
            &json!({ "title": "mine" }),
        )
        .await;
    let (_, etag) = expect_task(response, StatusCode::OK).await;
    expect_no_content(
        app.try_delete_task(user.bearer(), task.id, Some(&etag))
            .await,
    )
    .await;
}

async fn a_task_of_another_organization_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.new_user().await;
    let task = app.create_task(owner.bearer(), "private").await;
    let other = app.new_browser().new_user().await;

    let read = app.try_task(other.bearer(), task.id).await;
    expect_error(read, StatusCode::NOT_FOUND, "not_found").await;
    let change = app
        .try_update_task(
            other.bearer(),
            task.id,
            Some("*"),
            &json!({ "title": "mine" }),
        )
        .await;
    expect_error(change, StatusCode::NOT_FOUND, "not_found").await;
    let delete = app.try_delete_task(other.bearer(), task.id, None).await;
    expect_error(delete, StatusCode::NOT_FOUND, "not_found").await;
    assert!(app.tasks(other.bearer(), "").await.is_empty());
    assert_eq!(app.task(owner.bearer(), task.id).await, task);
}
