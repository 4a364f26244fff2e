//! Without credentials, or with garbage ones, every authenticated route is 401.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(every_authenticated_route_needs_valid_credentials);

async fn every_authenticated_route_needs_valid_credentials(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let routes = [
        Route::key_friendly(),
        Route::session_only(1),
        Route::admin_only(user.id),
    ]
    .concat();

    for auth in [
        Auth::None,
        Auth::Bearer("not.a.jwt"),
        Auth::Key("sk_notarealkey"),
    ] {
        for route in &routes {
            let response = app.call(route, auth).await;
            let case = format!("{auth:?} on {} {}", route.method, route.path);
            expect_error_for(&case, response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    assert_eq!(app.balance(user.bearer()).await, 0);
}
