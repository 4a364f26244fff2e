//! The `create-admin` and `grant-credits` command-line tasks.

use reqwest::StatusCode;
use shared::dto::{Role, User};

use backend::tasks::{Admin, Grantee, IfExists, TaskError, create_admin};

use crate::helpers::*;

both_backends!(
    a_new_admin_is_sent_a_link_to_verify_the_address,
    create_admin_refuses_an_existing_account_unless_told_to_promote_it,
    create_admin_shows_a_generated_password_on_a_terminal_only,
    grant_credits_task_updates_balance_and_ledger
);

/// Like a sign-up: in prod, an admin buys credits and makes keys once the address is verified.
async fn a_new_admin_is_sent_a_link_to_verify_the_address(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let admin = app.new_admin().await;
    assert!(!app.me(admin.bearer()).await.email_verified);

    let token = app.verification_token(&admin.email).await;
    expect_no_content(app.try_verify_email(&token).await).await;
    assert!(app.me(admin.bearer()).await.email_verified);
}

/// Whoever signed up first with the founder's email must not become admin by accident: an
/// existing account is refused unless promoting it is asked for.
async fn create_admin_refuses_an_existing_account_unless_told_to_promote_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let refused = app
        .run_task({
            let email = user.email.clone();
            move |config| create_admin(&config, &email, "another password", IfExists::Refuse)
        })
        .await;
    assert!(
        matches!(refused, Err(TaskError::AccountExists(_))),
        "{refused:?}"
    );
    assert_eq!(app.me(user.bearer()).await.role, Role::User);

    let promoted = app
        .create_admin_by_task(&user.email, IfExists::Promote)
        .await;
    assert_eq!(promoted, Admin::Promoted(user.id));
    assert_eq!(
        app.create_admin_by_task(&user.email, IfExists::Promote)
            .await,
        Admin::Promoted(user.id),
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
    // The owner's password still works; the one the operator typed does not.
    app.new_browser().login(&user.email, PASSWORD).await;
}

/// A generated password goes to a terminal only: with the output captured (a CI log, a log sink)
/// the command refuses and asks for ADMIN_PASSWORD.
async fn create_admin_shows_a_generated_password_on_a_terminal_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = unique_email();
    let run = |admin_password: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_backend"));
        command
            .args(["create-admin", "--email", &email])
            .env("DATABASE_URL", app.setting("DATABASE_URL"))
            .env("BCRYPT_COST", "4")
            .env_remove("ADMIN_PASSWORD");
        if let Some(password) = admin_password {
            command.env("ADMIN_PASSWORD", password);
        }
        command.output().expect("the binary runs")
    };

    let refused = run(None);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(stderr.contains("ADMIN_PASSWORD"), "{stderr}");
    // Nothing was created: the email is still free.
    expect_error(
        app.try_login(&email, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    let created = run(Some(PASSWORD));
    let stdout = String::from_utf8_lossy(&created.stdout);
    assert!(created.status.success(), "{stdout}");
    assert!(
        !stdout.contains(PASSWORD),
        "the password is not echoed: {stdout}"
    );
    app.login(&email, PASSWORD).await;
}

async fn grant_credits_task_updates_balance_and_ledger(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    assert_eq!(app.grant_by_task(&user.email, 7).await, 7);
    assert_eq!(app.grant_by_task(&user.email.to_uppercase(), 3).await, 10);

    assert_eq!(app.balance(user.bearer()).await, 10);
    assert_eq!(app.ledger(user.bearer()).await.len(), 2);
    assert_ledger_consistent(&app, user.bearer()).await;
    let unknown = Grantee::PersonalOf(unique_email());
    let result = app
        .run_task(move |config| backend::tasks::grant_credits(&config, &unknown, 5, "ghost"))
        .await;
    assert!(
        matches!(result, Err(TaskError::NoSuchUser(_))),
        "granting to an unknown email fails: {result:?}"
    );

    // An organisation by id: a team's wallet.
    let team = app.create_org(user.bearer(), "Acme").await.organization.id;
    let to_team = Grantee::Organization(team);
    let result = app
        .run_task(move |config| backend::tasks::grant_credits(&config, &to_team, 4, "team"))
        .await;
    assert_eq!(result.ok(), Some(4));
    assert_eq!(
        app.balance(user.bearer()).await,
        10,
        "the personal one is untouched"
    );
    let nowhere = Grantee::Organization(team + 1000);
    let result = app
        .run_task(move |config| backend::tasks::grant_credits(&config, &nowhere, 4, "ghost"))
        .await;
    assert!(
        matches!(result, Err(TaskError::NoSuchOrganization(_))),
        "granting to an unknown organisation fails: {result:?}"
    );
}
