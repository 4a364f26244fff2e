//! Security notices, queued in the transaction of the change they report: a new or rotated key,
//! a password change.

use reqwest::StatusCode;

use crate::helpers::*;

both_backends!(a_password_change_and_a_new_key_are_reported_to_the_owner);

async fn a_password_change_and_a_new_key_are_reported_to_the_owner(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend, &[]).await;
    let user = app.new_user().await;

    let key = app.create_key(user.bearer(), "deploy bot").await;
    let notice = app.mailbox().wait_for(&user.email, "new API key").await;
    assert!(notice.text.contains("\"deploy bot\""), "{}", notice.text);
    assert!(
        notice.text.contains(&key.prefix),
        "the prefix names the key"
    );
    assert!(!notice.text.contains(&key.key) && !notice.html.contains(&key.key));
    assert!(
        notice.text.contains("your personal organization"),
        "it names what the key spends for: {}",
        notice.text
    );

    // A rotation mints a new secret: its notice names the new prefix, never the secret.
    let rotated: shared::dto::CreatedKey = expect_json(
        app.try_rotate_key(user.bearer(), key.id, 60).await,
        StatusCode::CREATED,
    )
    .await;
    let notice = app
        .mailbox()
        .wait_for_nth(&user.email, "new API key", 2)
        .await;
    assert!(notice.text.contains(&rotated.prefix), "{}", notice.text);
    assert!(!notice.text.contains(&rotated.key) && !notice.html.contains(&rotated.key));

    let changed = app
        .try_change_password(user.bearer(), PASSWORD, "another password entirely")
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let notice = app
        .mailbox()
        .wait_for(&user.email, PASSWORD_CHANGED_SUBJECT)
        .await;
    assert!(notice.text.contains("/forgot-password"), "{}", notice.text);
}
