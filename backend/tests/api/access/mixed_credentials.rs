//! A bad credential poisons the request even when a good one comes with it.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(
    an_invalid_credential_beside_a_valid_one_is_401,
    a_key_beside_a_token_acts_as_the_key,
);

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

/// With a key and a token, the request has the key's rights, never the session's: a signed-out
/// session's token beside a live key must not manage keys.
async fn a_key_beside_a_token_acts_as_the_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let key = app.create_key(user.bearer(), "good").await;
    expect_no_content(app.try_logout().await).await;

    let both = Auth::BearerAndKey(&user.token, &key.key);
    app.me(both).await;
    let response = app.try_create_key(both, "more").await;
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
}
