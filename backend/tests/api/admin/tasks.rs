//! The `create-admin` and `grant-credits` command-line tasks.

use reqwest::StatusCode;
use shared::dto::{Role, User};

use crate::helpers::*;

both_backends!(
    create_admin_promotes_an_existing_user,
    grant_credits_task_updates_balance_and_ledger
);

async fn create_admin_promotes_an_existing_user(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    assert_eq!(app.create_admin_by_task(&user.email).await, user.id);
    assert_eq!(
        app.create_admin_by_task(&user.email).await,
        user.id,
        "running it again is harmless"
    );

    let admin = app.new_browser().new_admin().await;
    let users: Vec<User> =
        expect_json(app.try_admin_users(admin.bearer()).await, StatusCode::OK).await;
    let promoted = users
        .iter()
        .find(|u| u.id == user.id)
        .expect("the user is listed");
    assert_eq!(promoted.role, Role::Admin);
    assert_eq!(users.len(), 2, "no duplicate account");
}

async fn grant_credits_task_updates_balance_and_ledger(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    assert_eq!(app.grant_by_task(&user.email, 7).await, 7);
    assert_eq!(app.grant_by_task(&user.email.to_uppercase(), 3).await, 10);

    assert_eq!(app.balance(user.bearer()).await, 10);
    assert_eq!(app.ledger(user.bearer()).await.len(), 2);
    assert_ledger_consistent(&app, user.bearer()).await;
    let unknown = unique_email();
    let result = app
        .run_task(move |config| backend::tasks::grant_credits(&config, &unknown, 5, "ghost"))
        .await;
    assert!(result.is_err(), "granting to an unknown email fails");
}
