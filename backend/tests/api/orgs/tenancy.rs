//! Tenant isolation, walked from the OpenAPI document: every operation that names something by
//! id in its path, called with the ids of an organisation the caller does not belong to (its
//! id, its owner, its key, its invitation), answers 404 `not_found` — never its data, never a
//! 403 that would confirm it exists — and changes nothing. A new route that forgets to scope its
//! ids to the caller's organisation fails here.

use reqwest::StatusCode;
use shared::dto::OrgRole;

use crate::helpers::*;

both_backends!(nothing_of_another_organization_is_found);

async fn nothing_of_another_organization_is_found(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    // The victim: a team with credits, a key, a pending invitation and a second member.
    let owner = app.new_user().await;
    let team = app
        .create_org(owner.bearer(), "Victim Inc")
        .await
        .organization;
    let owner = app.switch_org(&owner, team.id).await;
    app.grant_by_task_to_org(team.id, 20).await;
    let key = app.create_key(owner.bearer(), "victim's").await;
    let invitation = app
        .invite(owner.bearer(), team.id, &unique_email(), OrgRole::Developer)
        .await;
    let (_, member) = app.new_member(&owner, team.id, OrgRole::Billing).await;
    let members_before = app.members(owner.bearer(), team.id).await;
    let task = app.create_task(owner.bearer(), "victim's plans").await;
    let file = app
        .upload(owner.bearer(), task.id, "plans.png", png_of(64))
        .await;

    // The attacker: a signed-in customer with credits and a key of their own.
    let browser = app.new_browser();
    let attacker = browser.new_user_with_credits(5).await;
    browser.create_key(attacker.bearer(), "attacker's").await;
    let foreign_id = |parameter: &str| match parameter {
        "id" => team.id,
        "user_id" => member.id,
        "invitation_id" => invitation.id,
        // `/api/me/identities/{provider}`: only the caller's own links are in reach.
        "provider" => team.id,
        other => panic!("a path parameter this walk does not know: {other}"),
    };

    let mut walked = 0;
    for op in browser.operations().await {
        if !op.path.contains('{')
            || op.path.starts_with("/api/admin/")
            || op.path.starts_with("/api/auth/")
            || op.path.starts_with("/api/attachment-links/")
        {
            // Site admins' routes have their own test (403 to everyone else); the identity
            // providers' sign-in routes name a provider, no one's data (`oauth/refused.rs`); a
            // download link takes no id but a signed token naming the file and its organisation,
            // which no caller can make for another's (`files/links.rs`), and its `/link` is
            // walked here as `/api/attachments/{id}/link`.
            continue;
        }
        // `/api/keys/{id}` names a key, `/api/tasks/{id}` a task, `/api/attachments/{id}` a
        // file; every other `{id}` names an organisation.
        let value = |p: &str| {
            if op.path.starts_with("/api/keys/") {
                key.id
            } else if op.path.starts_with("/api/tasks/") {
                task.id
            } else if op.path.starts_with("/api/attachments/") {
                file.id
            } else {
                foreign_id(p)
            }
        };
        let case = format!("{} {}", op.method, op.filled_path(value));
        let response = browser.call_operation(&op, value, attacker.bearer()).await;
        expect_error_for(&case, response, StatusCode::NOT_FOUND, "not_found").await;
        walked += 1;
    }
    assert!(walked >= 10, "only {walked} operations take an id");

    // Nothing of the victim's changed.
    assert_eq!(app.balance(owner.bearer()).await, 20);
    assert_eq!(app.keys(owner.bearer()).await.len(), 1);
    assert_eq!(app.members(owner.bearer(), team.id).await, members_before);
    let pending: Vec<shared::dto::Invitation> = expect_json(
        app.try_invitations(owner.bearer(), team.id).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending.len(), 1);
    assert_eq!(app.org_name(owner.bearer(), team.id).await, "Victim Inc");
    assert_eq!(app.task(owner.bearer(), task.id).await, task);
    assert_eq!(app.attachments(owner.bearer(), task.id).await, [file]);
}
