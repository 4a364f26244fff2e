//! Who am I: the same answer by bearer token and by API key.

use shared::dto::Role;

use crate::helpers::*;

both_backends!(me_describes_the_caller_by_token_and_by_key);

async fn me_describes_the_caller_by_token_and_by_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(7).await;
    let key = app.create_key(user.bearer(), "script").await;

    let by_token = app.me(user.bearer()).await;
    let by_key = app.me(Auth::Key(&key.key)).await;

    assert_eq!(by_token, by_key);
    assert_eq!(by_token.id, user.id);
    assert_eq!(by_token.email, user.email);
    assert_eq!(by_token.role, Role::User);
    assert_eq!(by_token.credits, 7);
    assert!(by_token.is_active);
}
