//! Who am I: the same answer by bearer token and by API key.

use futures::future::join_all;
use shared::dto::Role;

use crate::helpers::*;

both_backends!(
    me_describes_the_caller_by_token_and_by_key,
    callers_asking_at_once_each_get_their_own_profile,
);

async fn me_describes_the_caller_by_token_and_by_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(7).await;
    let key = app.create_key(user.bearer(), "script").await;

    let by_token = app.me(user.bearer()).await;
    let by_key = app.me(Auth::Key(&key.key)).await;

    // The same account and wallet; a key acts for the organisation, not as a member.
    assert_eq!(
        by_token.organization.role,
        Some(shared::dto::OrgRole::Owner)
    );
    assert_eq!(by_key.organization.role, None);
    assert_eq!(
        shared::dto::User {
            organization: by_token.organization.clone(),
            ..by_key
        },
        by_token
    );
    assert_eq!(by_token.organization.id, user.org_id);
    assert!(by_token.organization.personal);
    assert_eq!(by_token.id, user.id);
    assert_eq!(by_token.email, user.email);
    assert_eq!(by_token.role, Role::User);
    assert_eq!(by_token.credits, 7);
    assert!(by_token.is_active);
}

/// Lookups that arrive together are read in one query (`db::BatchReader`): each must still get
/// its own user's row, never a neighbour's, whether it presents a token or a key.
async fn callers_asking_at_once_each_get_their_own_profile(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let users = join_all((0..24).map(|_| app.new_user())).await;
    let keys = join_all(users.iter().map(|u| app.create_key(u.bearer(), "script"))).await;

    for _round in 0..5 {
        let by_token = join_all(users.iter().map(|u| app.me(u.bearer())));
        let by_key = join_all(keys.iter().map(|k| app.me(Auth::Key(&k.key))));
        let (by_token, by_key) = futures::join!(by_token, by_key);
        for ((user, token_profile), key_profile) in users.iter().zip(by_token).zip(by_key) {
            assert_eq!(
                (token_profile.id, &token_profile.email),
                (user.id, &user.email)
            );
            assert_eq!((key_profile.id, &key_profile.email), (user.id, &user.email));
        }
    }
}
