//! Who may: every role reads, `developer` and above write; a key needs `tasks:read` or
//! `tasks:write`; the organisation owns the tasks, not the member who made them.

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{OrgRole, Scope};

use crate::helpers::*;

both_backends!(
    billing_reads_and_developers_write_the_team_s_tasks,
    keys_read_and_write_by_their_scopes,
);

async fn billing_reads_and_developers_write_the_team_s_tasks(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Team").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    let (developer_app, developer) = app.new_member(&owner, team.id, OrgRole::Developer).await;
    let (billing_app, billing) = app.new_member(&owner, team.id, OrgRole::Billing).await;

    let task = developer_app
        .create_task(developer.bearer(), "from the developer")
        .await;
    assert_eq!(task.created_by, Some(developer.id));
    let listed = billing_app.tasks(billing.bearer(), "").await;
    assert_eq!(listed, std::slice::from_ref(&task));
    assert_eq!(
        app.tasks(owner.bearer(), "").await,
        std::slice::from_ref(&task)
    );

    let refused = billing_app
        .try_create_task(billing.bearer(), &Default::default())
        .await;
    let error = expect_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(error.message.contains("developer"), "{}", error.message);
    let refused = billing_app
        .try_update_task(billing.bearer(), task.id, None, &json!({ "title": "x" }))
        .await;
    expect_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    let refused = billing_app
        .try_delete_task(billing.bearer(), task.id, None)
        .await;
    expect_error(refused, StatusCode::FORBIDDEN, "forbidden").await;

    // The owner changes the developer's task: it is the team's.
    let response = app
        .try_update_task(
            owner.bearer(),
            task.id,
            Some("\"1\""),
            &json!({ "status": "done" }),
        )
        .await;
    expect_task(response, StatusCode::OK).await;
    assert_eq!(app.count("tasks").await, 1);
}

async fn keys_read_and_write_by_their_scopes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let reader = app
        .create_scoped_key(user.bearer(), &[Scope::TasksRead])
        .await;
    let writer = app
        .create_scoped_key(user.bearer(), &[Scope::TasksWrite])
        .await;

    let task = app.create_task(Auth::Key(&writer.key), "by script").await;
    assert_eq!(task.created_by, Some(user.id), "the key's creator");
    assert_eq!(
        app.tasks(Auth::Key(&reader.key), "").await,
        std::slice::from_ref(&task)
    );

    let refused = app
        .try_create_task(Auth::Key(&reader.key), &Default::default())
        .await;
    let error = expect_error(refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
    assert!(error.message.contains("tasks:write"), "{}", error.message);
    let refused = app.try_task(Auth::Key(&writer.key), task.id).await;
    let error = expect_error(refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
    assert!(error.message.contains("tasks:read"), "{}", error.message);
    assert_eq!(app.count("tasks").await, 1);
}
