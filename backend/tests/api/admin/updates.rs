//! Disabling, enabling, promoting and demoting users.

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::{Role, User};

use crate::helpers::*;

both_backends!(
    admin_disables_and_re_enables_a_user,
    a_promoted_user_can_administer,
    a_demoted_admin_loses_admin_routes_at_once,
    admins_cannot_disable_or_demote_themselves,
    updates_refuse_unknown_users_and_roles,
);

async fn admin_disables_and_re_enables_a_user(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user().await;

    let disabled: User = expect_json(
        app.try_set_active(admin.bearer(), user.id, false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((disabled.id, disabled.is_active), (user.id, false));
    let refused = app.new_browser().try_login(&user.email, PASSWORD).await;
    expect_error(refused, StatusCode::FORBIDDEN, "account_disabled").await;

    let enabled: User = expect_json(
        app.try_set_active(admin.bearer(), user.id, true).await,
        StatusCode::OK,
    )
    .await;
    assert!(enabled.is_active);
    let tokens = app.new_browser().login(&user.email, PASSWORD).await;
    app.me(Auth::Bearer(&tokens.access_token)).await;
}

async fn a_promoted_user_can_administer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user().await;

    let promoted: User = expect_json(
        app.try_admin_update(admin.bearer(), user.id, &json!({ "role": "admin" }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(promoted.role, Role::Admin);

    let (_, token) = app.sign_in_elsewhere(&user).await;
    expect_json::<Vec<User>>(
        app.try_admin_users(Auth::Bearer(&token)).await,
        StatusCode::OK,
    )
    .await;
}

async fn a_demoted_admin_loses_admin_routes_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let other = app.new_browser().new_admin().await;
    expect_json::<Vec<User>>(app.try_admin_users(other.bearer()).await, StatusCode::OK).await;

    let demoted: User = expect_json(
        app.try_admin_update(admin.bearer(), other.id, &json!({ "role": "user" }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(demoted.role, Role::User);

    let response = app.try_admin_users(other.bearer()).await;
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn admins_cannot_disable_or_demote_themselves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;

    for update in [json!({ "is_active": false }), json!({ "role": "user" })] {
        let response = app
            .try_admin_update(admin.bearer(), admin.id, &update)
            .await;
        expect_error(response, StatusCode::BAD_REQUEST, "validation_error").await;
    }

    let users: Vec<User> =
        expect_json(app.try_admin_users(admin.bearer()).await, StatusCode::OK).await;
    assert_eq!((users[0].role, users[0].is_active), (Role::Admin, true));
}

async fn updates_refuse_unknown_users_and_roles(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user().await;

    let ghost = app.try_set_active(admin.bearer(), 987_654, false).await;
    expect_error(ghost, StatusCode::NOT_FOUND, "not_found").await;
    let bad_role = app
        .try_admin_update(admin.bearer(), user.id, &json!({ "role": "owner" }))
        .await;
    expect_error(bad_role, StatusCode::BAD_REQUEST, "validation_error").await;

    let me = app.me(user.bearer()).await;
    assert_eq!(me.role, Role::User);
}
