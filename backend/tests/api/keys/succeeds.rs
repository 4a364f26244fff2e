//! Keys are shown once, listed without the secret, work at once, and die when revoked.

use std::time::Duration;

use reqwest::StatusCode;
use shared::dto::{ApiKey, CreatedKey};

use crate::helpers::*;

both_backends!(
    a_new_key_is_shown_once_and_listed_without_the_secret,
    an_old_sign_in_creates_a_key_with_the_password_again,
    a_key_authenticates_and_records_its_first_use,
    a_revoked_key_fails_at_once_and_leaves_the_list,
    users_see_only_their_own_keys,
    paging_with_the_cursor_reaches_every_live_key_once,
);

async fn a_new_key_is_shown_once_and_listed_without_the_secret(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let created = app.create_key(user.bearer(), "  deploy script  ").await;

    let secret = created
        .key
        .strip_prefix("sk_")
        .expect("keys start with sk_");
    assert_eq!(secret.len(), 43, "sk_ + 43 characters: {}", created.key);
    assert!(
        secret.chars().all(|c| c.is_ascii_alphanumeric()),
        "{}",
        created.key
    );
    assert_eq!(created.prefix, created.key[..12]);
    assert_eq!(created.name, "deploy script", "the name is trimmed");

    let listing = app.get("/api/keys", user.bearer()).await;
    let raw = listing.text().await.expect("a body");
    assert!(
        !raw.contains(&created.key),
        "the list never shows the key: {raw}"
    );
    let keys = app.keys(user.bearer()).await;
    assert_eq!(keys.len(), 1);
    let listed = &keys[0];
    assert_eq!(
        (listed.id, &listed.name, &listed.prefix, listed.created_at),
        (
            created.id,
            &created.name,
            &created.prefix,
            created.created_at
        )
    );
    assert_eq!(listed.last_used_at, None, "an unused key has no last use");
}

/// Past the ten minutes, the password in the request stands for a fresh sign-in.
async fn an_old_sign_in_creates_a_key_with_the_password_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let user = app.signed_in_ago(&user, Duration::from_secs(11 * 60)).await;

    let response = app
        .try_create_key_with(user.bearer(), "ci", Some(PASSWORD))
        .await;
    let created: CreatedKey = expect_json(response, StatusCode::CREATED).await;
    app.me(Auth::Key(&created.key)).await;
}

async fn a_key_authenticates_and_records_its_first_use(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let created = app.create_key(user.bearer(), "ci").await;

    let me = app.me(Auth::Key(&created.key)).await;
    assert_eq!(me.id, user.id);

    let keys = app.keys(user.bearer()).await;
    let last_used = keys[0]
        .last_used_at
        .expect("the first use sets last_used_at");
    assert!(
        last_used >= keys[0].created_at,
        "{last_used} is before {}",
        keys[0].created_at
    );
}

async fn a_revoked_key_fails_at_once_and_leaves_the_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let revoked = app.create_key(user.bearer(), "old").await;
    let kept = app.create_key(user.bearer(), "new").await;
    app.me(Auth::Key(&revoked.key)).await;

    expect_no_content(app.try_delete_key(user.bearer(), revoked.id).await).await;

    let response = app.try_me(Auth::Key(&revoked.key)).await;
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.me(Auth::Key(&kept.key)).await;
    assert_eq!(
        app.key_ids(user.bearer()).await,
        vec![kept.id],
        "a revoked key is no longer listed"
    );
}

async fn users_see_only_their_own_keys(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.new_user().await;
    let bob = app.new_browser().new_user().await;
    let alices = app.create_key(alice.bearer(), "alice's").await;
    let bobs = app.create_key(bob.bearer(), "bob's").await;

    let alice_ids = app.key_ids(alice.bearer()).await;
    let bob_ids = app.key_ids(bob.bearer()).await;

    assert_eq!(alice_ids, vec![alices.id]);
    assert_eq!(bob_ids, vec![bobs.id]);
}

async fn paging_with_the_cursor_reaches_every_live_key_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;
    let mut created = Vec::new();
    for n in 0..6 {
        created.push(app.create_key(user.bearer(), &format!("key {n}")).await.id);
    }
    let revoked = created.remove(2);
    expect_no_content(app.try_delete_key(user.bearer(), revoked).await).await;

    // Pages of 2, each asked for `before` the last id seen, until one comes back short.
    let mut pages: Vec<Vec<i64>> = Vec::new();
    loop {
        let query = match pages.last().and_then(|page| page.last()) {
            Some(last) => format!("limit=2&before={last}"),
            None => "limit=2".to_owned(),
        };
        let response = app.try_keys_page(user.bearer(), &query).await;
        let page: Vec<ApiKey> = expect_json(response, StatusCode::OK).await;
        assert!(page.len() <= 2, "more than the limit: {page:?}");
        let short = page.len() < 2;
        pages.push(page.iter().map(|key| key.id).collect());
        if short {
            break;
        }
    }

    let newest_first: Vec<i64> = created.iter().rev().copied().collect();
    assert_eq!(pages.concat(), newest_first, "pages: {pages:?}");
    assert_eq!(pages.len(), 3, "2 + 2 + 1: {pages:?}");
    assert_eq!(app.keys(user.bearer()).await.len(), 5);
}
