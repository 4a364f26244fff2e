//! Who may do what, table-driven: every operation whose guard demands a permission (the
//! document's `x-permission`, checked against the table below so that a route cannot quietly
//! lose its guard), called by a member of each role. A role the shared table (`OrgRole::can`)
//! refuses gets 403 `forbidden`; a role it allows gets past the guard.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{OrgRole, Permission};

use crate::helpers::*;

/// Every guarded operation and the permission it needs.
const GUARDED: &[(&str, &str, Permission)] = &[
    ("GET", "/api/credits", Permission::ReadCredits),
    ("GET", "/api/credits/ledger", Permission::ReadCredits),
    ("GET", "/api/credits/usage", Permission::ReadCredits),
    ("POST", "/api/credits/purchase", Permission::Purchase),
    ("GET", "/api/keys", Permission::ManageKeys),
    ("POST", "/api/keys", Permission::ManageKeys),
    ("DELETE", "/api/keys/{id}", Permission::ManageKeys),
    ("POST", "/api/keys/{id}/rotate", Permission::ManageKeys),
    ("POST", "/api/generate-text", Permission::Spend),
    ("POST", "/api/generate-story", Permission::Spend),
    ("GET", "/api/demo/premium", Permission::Spend),
    ("GET", "/api/tasks", Permission::ReadTasks),
    ("POST", "/api/tasks", Permission::WriteTasks),
    ("GET", "/api/tasks/{id}", Permission::ReadTasks),
    ("PATCH", "/api/tasks/{id}", Permission::WriteTasks),
    ("DELETE", "/api/tasks/{id}", Permission::WriteTasks),
    ("GET", "/api/tasks/{id}/attachments", Permission::ReadTasks),
    (
        "POST",
        "/api/tasks/{id}/attachments",
        Permission::WriteTasks,
    ),
    ("GET", "/api/attachments/{id}", Permission::ReadTasks),
    ("GET", "/api/attachments/{id}/link", Permission::ReadTasks),
    ("DELETE", "/api/attachments/{id}", Permission::WriteTasks),
    ("PATCH", "/api/orgs/{id}", Permission::ManageOrganization),
    ("DELETE", "/api/orgs/{id}", Permission::OwnOrganization),
    (
        "PATCH",
        "/api/orgs/{id}/members/{user_id}",
        Permission::ManageMembers,
    ),
    (
        "GET",
        "/api/orgs/{id}/invitations",
        Permission::ManageMembers,
    ),
    (
        "POST",
        "/api/orgs/{id}/invitations",
        Permission::ManageMembers,
    ),
    (
        "DELETE",
        "/api/orgs/{id}/invitations/{invitation_id}",
        Permission::ManageMembers,
    ),
];

/// Names nothing that exists: an allowed role gets past the guard to a 404, changing nothing.
const NO_SUCH_ID: i64 = 999_999;

both_backends!(each_role_does_what_the_table_allows_and_nothing_more);

async fn each_role_does_what_the_table_allows_and_nothing_more(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let owner = app.new_user().await;
    let team = app.create_org(owner.bearer(), "Acme").await.organization;
    let owner = app.switch_org(&owner, team.id).await;
    // Credits, so that paid calls pass and the owner's delete is refused (409) rather than done.
    app.grant_by_task_to_org(team.id, 100).await;

    let operations = app.operations().await;
    let documented: BTreeSet<(String, String, String)> = operations
        .iter()
        .filter_map(|op| {
            let permission = op.permission.clone()?;
            Some((op.method.clone(), op.path.clone(), permission))
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = GUARDED
        .iter()
        .map(|(method, path, permission)| {
            let name = serde_json::to_value(permission).expect("a permission");
            let name = name.as_str().expect("a string").to_owned();
            ((*method).to_owned(), (*path).to_owned(), name)
        })
        .collect();
    assert_eq!(documented, expected, "the document's guards");

    // Bearer tokens need no cookie: every member's calls go through one client.
    let mut members = vec![(owner.clone(), OrgRole::Owner)];
    for role in [OrgRole::Admin, OrgRole::Developer, OrgRole::Billing] {
        members.push((app.new_member(&owner, team.id, role).await.1, role));
    }
    for (member, role) in &members {
        for (method, path, permission) in GUARDED {
            let op = operations
                .iter()
                .find(|op| op.method == *method && op.path == *path)
                .expect("a documented operation");
            let value = |p: &str| {
                if p == "id" && path.starts_with("/api/orgs/") {
                    team.id
                } else {
                    NO_SUCH_ID
                }
            };
            let case = format!("{role:?} {method} {path}");
            let mut op_body = op.body.clone();
            // Invitations and role changes to anything but owner: making owners is the owners'
            // own rule, tested with the members.
            if let Some(body) = op_body.as_mut().filter(|b| b.get("role").is_some()) {
                body["role"] = json!("developer");
            }
            let mut request =
                app.request(op.http_method(), &op.filled_path(value), member.bearer());
            if let Some(body) = &op_body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .expect("the request reached the server");
            if role.can(*permission) {
                let status = response.status();
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{case}: the role may, but got {status}: {}",
                    response.text().await.unwrap_or_default()
                );
            } else {
                expect_error_for(&case, response, StatusCode::FORBIDDEN, "forbidden").await;
            }
        }
    }
    // The owner's delete was refused for the credits left, so the team is still there.
    let still = app.try_org(owner.bearer(), team.id).await;
    assert_eq!(still.status(), StatusCode::OK);
}
