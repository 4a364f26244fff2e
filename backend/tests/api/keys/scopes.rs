//! Scopes: a key does only what its scopes allow, and the document says which scope each
//! operation needs.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{ApiKey, Scope};

use crate::helpers::*;

both_backends!(
    a_key_has_every_scope_unless_its_creation_names_some,
    every_operation_refuses_a_key_without_its_scope_and_names_it,
    creation_refuses_no_scopes_unknown_ones_and_bad_lifetimes,
);

async fn a_key_has_every_scope_unless_its_creation_names_some(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let full = app.create_key(user.bearer(), "full").await;
    assert_eq!(full.scopes, Scope::ALL);
    let read = app
        .create_scoped_key(user.bearer(), &[Scope::CreditsRead, Scope::CreditsRead])
        .await;
    assert_eq!(read.scopes, [Scope::CreditsRead]);

    let listed: BTreeMap<i64, Vec<Scope>> = app
        .keys(user.bearer())
        .await
        .into_iter()
        .map(|key: ApiKey| (key.id, key.scopes))
        .collect();
    assert_eq!(
        listed,
        BTreeMap::from([
            (full.id, Scope::ALL.to_vec()),
            (read.id, vec![Scope::CreditsRead])
        ])
    );
}

/// Walks the document: each operation a key may call names the scope it needs (the reviewed
/// table below), a key without it gets 403 `insufficient_scope` naming it and changes nothing,
/// and a key with only that scope gets through.
async fn every_operation_refuses_a_key_without_its_scope_and_names_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(100).await;
    let operations = app.operations().await;

    let needs: BTreeMap<String, Vec<String>> = operations
        .iter()
        .filter_map(|op| {
            let scopes = op.key_scopes.clone()?;
            Some((format!("{} {}", op.method, op.path), scopes))
        })
        .collect();
    let reviewed = |scope: &str| vec![scope.to_owned()];
    assert_eq!(
        needs,
        BTreeMap::from([
            ("GET /api/me".to_owned(), vec![]),
            ("GET /api/credits".to_owned(), reviewed("credits:read")),
            (
                "GET /api/credits/ledger".to_owned(),
                reviewed("credits:read")
            ),
            (
                "GET /api/credits/usage".to_owned(),
                reviewed("credits:read")
            ),
            ("POST /api/generate-text".to_owned(), reviewed("paid:call")),
            ("POST /api/generate-story".to_owned(), reviewed("paid:call")),
            ("GET /api/demo/premium".to_owned(), reviewed("paid:call")),
            ("GET /api/tasks".to_owned(), reviewed("tasks:read")),
            ("POST /api/tasks".to_owned(), reviewed("tasks:write")),
            ("GET /api/tasks/{id}".to_owned(), reviewed("tasks:read")),
            ("PATCH /api/tasks/{id}".to_owned(), reviewed("tasks:write")),
            ("DELETE /api/tasks/{id}".to_owned(), reviewed("tasks:write")),
            (
                "GET /api/tasks/{id}/attachments".to_owned(),
                reviewed("tasks:read")
            ),
            (
                "POST /api/tasks/{id}/attachments".to_owned(),
                reviewed("tasks:write")
            ),
            (
                "GET /api/attachments/{id}".to_owned(),
                reviewed("tasks:read")
            ),
            (
                "GET /api/attachments/{id}/link".to_owned(),
                reviewed("tasks:read")
            ),
            (
                "DELETE /api/attachments/{id}".to_owned(),
                reviewed("tasks:write")
            ),
        ])
    );

    for op in operations.iter().filter(|op| op.key_scopes.is_some()) {
        let needed: Vec<Scope> = op
            .key_scopes
            .iter()
            .flatten()
            .map(|s| Scope::parse(s).unwrap_or_else(|| panic!("unknown scope {s}")))
            .collect();
        let others: Vec<Scope> = Scope::ALL
            .into_iter()
            .filter(|s| !needed.contains(s))
            .collect();
        let case = format!("{} {}", op.method, op.path);
        // `{id}` names one of the user's tasks or files, a fresh one each time (a DELETE takes
        // it away).
        let id = if op.path.starts_with("/api/tasks/") {
            app.create_task(user.bearer(), "walked").await.id
        } else if op.path.starts_with("/api/attachments/") {
            let task = app.create_task(user.bearer(), "walked").await.id;
            app.upload(user.bearer(), task, "walked.png", png_of(64))
                .await
                .id
        } else {
            1
        };
        if let [scope] = needed[..] {
            let without = app.create_scoped_key(user.bearer(), &others).await;
            let refused = app
                .call_operation(op, |_| id, Auth::Key(&without.key))
                .await;
            let error =
                expect_error_for(&case, refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
            assert!(
                error.message.contains(scope.as_str()),
                "{case}: the error names {}: {}",
                scope.as_str(),
                error.message
            );
        }
        let with = app
            .create_scoped_key(user.bearer(), &needed_or_any(&needed))
            .await;
        let response = app.call_operation(op, |_| id, Auth::Key(&with.key)).await;
        assert!(
            response.status().is_success(),
            "{case} with a key holding {needed:?}: {}",
            response.status()
        );
    }
    // Only the calls let through spent: `generate-text` and `generate-story` once each
    // (`/api/demo/premium` requires credits without spending them).
    assert_ledger_consistent(&app, user.bearer()).await;
    let spends = app
        .ledger(user.bearer())
        .await
        .into_iter()
        .filter(|e| e.delta < 0)
        .count();
    assert_eq!(spends, 2);
}

/// A scope list to create a key with: `needed`, or any one scope when none is needed.
fn needed_or_any(needed: &[Scope]) -> Vec<Scope> {
    if needed.is_empty() {
        vec![Scope::CreditsRead]
    } else {
        needed.to_vec()
    }
}

async fn creation_refuses_no_scopes_unknown_ones_and_bad_lifetimes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let none = app
        .try_create_key_json(user.bearer(), &json!({ "name": "k", "scopes": [] }))
        .await;
    expect_validation_error(none, "scopes").await;
    for days in [0, -1, 366] {
        let body = json!({ "name": "k", "expires_in_days": days });
        let response = app.try_create_key_json(user.bearer(), &body).await;
        expect_validation_error(response, "expires_in_days").await;
    }
    // Management is never grantable to a key: no such scope exists.
    let body = json!({ "name": "k", "scopes": ["keys:manage"] });
    let unknown = app.try_create_key_json(user.bearer(), &body).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

    assert!(app.keys(user.bearer()).await.is_empty(), "nothing created");
}
