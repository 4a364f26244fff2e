//! A signed-in user who is not an admin gets 403 on the admin routes.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(non_admins_are_refused_on_admin_routes);

async fn non_admins_are_refused_on_admin_routes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let target = app.new_browser().new_user().await;

    for route in Route::admin_only(target.id) {
        let response = app.call(&route, user.bearer()).await;
        let case = format!("{} {}", route.method, route.path);
        expect_error_for(&case, response, StatusCode::FORBIDDEN, "forbidden").await;
    }

    assert_eq!(
        app.balance(target.bearer()).await,
        0,
        "the target is active and got nothing"
    );
}
