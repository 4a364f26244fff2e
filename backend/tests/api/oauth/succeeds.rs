//! What signing in through a provider does when all is well: a new account, the same account
//! again, an account found by its verified address, links and unlinks from the account page, a
//! first password.

use reqwest::StatusCode;
use shared::dto::{AuthProvider, ChangePasswordRequest};
use test_support::MailDev;

use crate::helpers::*;

both_backends!(
    the_configured_providers_are_listed,
    a_new_identity_makes_a_verified_account_without_a_password,
    signing_in_again_finds_the_same_account,
    an_account_is_linked_on_its_verified_address,
    a_provider_is_linked_from_the_account_page_and_unlinked,
    an_account_made_through_a_provider_sets_its_first_password,
);

async fn the_configured_providers_are_listed(backend: Backend) {
    let plain = TestApp::spawn(backend).await;
    let none: Vec<AuthProvider> = expect_json(
        plain.get("/api/auth/providers", Auth::None).await,
        StatusCode::OK,
    )
    .await;
    assert!(none.is_empty(), "none by default: {none:?}");

    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let listed: Vec<AuthProvider> = expect_json(
        app.get("/api/auth/providers", Auth::None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        listed,
        vec![AuthProvider {
            id: LOCAL.to_owned(),
            name: LOCAL_NAME.to_owned(),
            email: None,
        }]
    );
}

async fn a_new_identity_makes_a_verified_account_without_a_password(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let login = verified_login();

    let response = app.sign_in_with_provider(&login, Some("/keys?x=1")).await;
    assert_eq!(location(&response), "/keys?x=1", "on to `next`");
    // The app gets its access token by refreshing with the cookie the callback set.
    let tokens = app.refresh().await;
    assert_eq!(tokens.user.email, login);
    assert!(tokens.user.email_verified, "the provider vouched for it");
    assert!(!tokens.user.has_password);
    let user = TestUser::new(&login, tokens);
    assert_eq!(
        app.identities(&user).await,
        vec![AuthProvider {
            id: LOCAL.to_owned(),
            name: LOCAL_NAME.to_owned(),
            email: Some(login.clone()),
        }]
    );
    // No password: the sign-in form refuses every one, as for an unknown address.
    let refused = app.new_browser().try_login(&login, PASSWORD).await;
    expect_error(refused, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    // It has its personal organisation, as every account does.
    assert_eq!(user.org_id, app.me(user.bearer()).await.organization.id);
}

async fn signing_in_again_finds_the_same_account(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let login = verified_login();
    let first = app.provider_user(&login).await;
    let again = app.new_browser().provider_user(&login).await;
    assert_eq!(again.user.id, first.user.id);
}

async fn an_account_is_linked_on_its_verified_address(backend: Backend) {
    let smtp = MailDev::shared().smtp_url();
    let app = TestApp::spawn_with_provider(backend, &[("SMTP_URL", &smtp)]).await;
    let email = verified_login();
    let user = TestUser::new(&email, app.signup(&email, PASSWORD).await);
    let token = app.verification_token(&email).await;
    expect_no_content(app.try_verify_email(&token).await).await;

    let browser = app.new_browser();
    let tokens = browser.provider_user(&email).await;
    assert_eq!(tokens.user.id, user.id, "the account with that address");
    assert!(
        app.me(user.bearer()).await.has_password,
        "its password stays"
    );
    assert_eq!(app.linked(&user).await.len(), 1);
    app.new_browser().login(&email, PASSWORD).await;
}

async fn a_provider_is_linked_from_the_account_page_and_unlinked(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let user = app.new_user().await;
    // Another address at the provider: linking needs no matching address, only both sign-ins.
    let login = verified_login();

    let offered = app.identities(&user).await;
    assert_eq!(offered.len(), 1, "the configured provider, to link");
    assert_eq!(offered[0].email, None, "not linked yet");

    assert_eq!(app.link_provider(&user, &login).await, "/account");
    let linked = app.linked(&user).await;
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].email.as_deref(), Some(login.as_str()));
    let through_provider = app.new_browser().provider_user(&login).await;
    assert_eq!(
        through_provider.user.id, user.id,
        "the provider signs in to it"
    );

    expect_no_content(app.try_unlink(&user, LOCAL).await).await;
    assert!(app.linked(&user).await.is_empty());
    let elsewhere = app.new_browser().provider_user(&login).await;
    assert_ne!(elsewhere.user.id, user.id, "unlinked: a new account");
}

async fn an_account_made_through_a_provider_sets_its_first_password(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let login = verified_login();
    let user = TestUser::new(&login, app.provider_user(&login).await);
    let body = ChangePasswordRequest {
        current_password: None,
        new_password: PASSWORD.to_owned(),
        revoke_api_keys: false,
    };
    expect_no_content(
        app.post_json("/api/me/password", &body, user.bearer())
            .await,
    )
    .await;

    // A new password revokes the access tokens: this browser refreshes, as after any change.
    let user = TestUser::new(&login, app.refresh().await);
    assert!(app.me(user.bearer()).await.has_password);
    let signed_in = app.new_browser().login(&login, PASSWORD).await;
    assert_eq!(signed_in.user.id, user.id);
    // With a password, the provider is no longer the last way in.
    expect_no_content(app.try_unlink(&user, LOCAL).await).await;
}
