//! A bad credential poisons the request even when a good one comes with it.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(an_invalid_credential_beside_a_valid_one_is_401);

async fn an_invalid_credential_beside_a_valid_one_is_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "good").await;
    let revoked = app.create_key(user.bearer(), "revoked").await;
    expect_no_content(app.try_delete_key(user.bearer(), revoked.id).await).await;

    let mixes = [
        Auth::BearerAndKey(&user.token, "sk_notarealkey"),
        Auth::BearerAndKey("not.a.jwt", &key.key),
        Auth::BearerAndKey(&user.token, &revoked.key),
    ];
    for auth in mixes {
        let response = app.try_me(auth).await;
        expect_error_for(
            &format!("{auth:?}"),
            response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
}
