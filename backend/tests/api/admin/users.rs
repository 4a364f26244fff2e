//! The user list.

use reqwest::StatusCode;
use shared::dto::{Role, User};

use crate::helpers::*;

both_backends!(admins_list_every_user_with_their_balance);

async fn admins_list_every_user_with_their_balance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let rich = app.new_browser().new_user_with_credits(42).await;
    let poor = app.new_browser().new_user().await;

    let users: Vec<User> =
        expect_json(app.try_admin_users(admin.bearer()).await, StatusCode::OK).await;

    let find = |id: i64| {
        users
            .iter()
            .find(|u| u.id == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    assert_eq!(users.len(), 3);
    assert_eq!(
        (find(admin.id).role, find(admin.id).email.as_str()),
        (Role::Admin, admin.email.as_str())
    );
    assert_eq!(
        (find(rich.id).role, find(rich.id).credits),
        (Role::User, 42)
    );
    assert_eq!((find(poor.id).credits, find(poor.id).is_active), (0, true));
}
