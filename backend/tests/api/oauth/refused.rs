//! What a sign-in through a provider refuses, and how: the browser lands on the sign-in page (or,
//! linking, the account page) with `?oauth_error=`, and nothing is created.

use std::time::Duration;

use reqwest::StatusCode;
use shared::dto::OAuthFailure;
use test_support::{MailDev, ProviderBrowser};

use crate::helpers::*;

both_backends!(
    an_address_the_provider_does_not_vouch_for_makes_no_account,
    an_unverified_account_is_not_linked_on_its_address,
    a_callback_without_the_browsers_flow_is_refused,
    a_tampered_code_nonce_or_pkce_verifier_is_refused,
    cancelling_at_the_provider_lands_on_the_sign_in_page,
    next_must_be_a_path_of_this_site,
    an_unknown_provider_is_not_found,
    an_unreachable_provider_is_told,
    the_last_way_to_sign_in_cannot_be_unlinked,
    an_identity_of_another_account_is_not_linked,
    linking_needs_a_recent_sign_in,
    a_disabled_account_does_not_sign_in_through_its_provider,
);

/// How many accounts the server has.
async fn accounts(app: &TestApp) -> i64 {
    app.count("users").await
}

async fn an_address_the_provider_does_not_vouch_for_makes_no_account(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let before = accounts(&app).await;
    let response = app.sign_in_with_provider(&unverified_login(), None).await;
    assert_failed(&response, "/login", OAuthFailure::EmailUnverified);
    assert_eq!(accounts(&app).await, before);
    assert_eq!(app.count("user_identities").await, 0);
    expect_error(
        app.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn an_unverified_account_is_not_linked_on_its_address(backend: Backend) {
    let smtp = MailDev::shared().smtp_url();
    let app = TestApp::spawn_with_provider(backend, &[("SMTP_URL", &smtp)]).await;
    let email = verified_login();
    app.signup(&email, PASSWORD).await;

    let browser = app.new_browser();
    let response = browser.sign_in_with_provider(&email, None).await;
    assert_failed(&response, "/login", OAuthFailure::AccountUnverified);
    assert_eq!(app.count("user_identities").await, 0);
    expect_error(
        browser.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn a_callback_without_the_browsers_flow_is_refused(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let provider = ProviderBrowser::default();
    let authorize = app.oauth_start(LOCAL, None).await;
    let sent_back = provider.sign_in(&authorize, &verified_login()).await;

    // Planted in another browser (login CSRF): no cookie, no sign-in.
    let victim = app.new_browser();
    assert_failed(
        &victim.oauth_callback(&sent_back).await,
        "/login",
        OAuthFailure::InvalidState,
    );
    // A forged state in the right browser.
    let mut forged = sent_back.clone();
    forged
        .0
        .query_pairs_mut()
        .clear()
        .append_pair("code", "x")
        .append_pair("state", "forged");
    assert_failed(
        &app.oauth_callback(&forged).await,
        "/login",
        OAuthFailure::InvalidState,
    );
    // The real one works once; replayed, it is refused.
    assert_eq!(
        location(&app.oauth_callback(&sent_back).await),
        "/dashboard"
    );
    let replayed = app.oauth_callback(&sent_back).await;
    assert_failed(&replayed, "/login", OAuthFailure::InvalidState);
    assert_eq!(
        accounts(&app).await,
        1,
        "one account, from the one good callback"
    );
}

async fn a_tampered_code_nonce_or_pkce_verifier_is_refused(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let provider = ProviderBrowser::default();
    for tamper in [
        "UPDATE oauth_flows SET nonce = 'not-the-nonce-sent'",
        "UPDATE oauth_flows SET pkce_verifier = 'not-the-verifier-whose-challenge-was-sent-000000'",
        "",
    ] {
        let authorize = app.oauth_start(LOCAL, None).await;
        let mut sent_back = provider.sign_in(&authorize, &verified_login()).await;
        if tamper.is_empty() {
            let state = sent_back.param("state").expect("a state");
            sent_back
                .0
                .query_pairs_mut()
                .clear()
                .append_pair("code", "a-code-the-provider-never-issued")
                .append_pair("state", &state);
        } else {
            app.execute_sql(tamper).await;
        }
        let response = app.oauth_callback(&sent_back).await;
        assert_failed(&response, "/login", OAuthFailure::Failed);
    }
    assert_eq!(accounts(&app).await, 0);
}

async fn cancelling_at_the_provider_lands_on_the_sign_in_page(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let authorize = app.oauth_start(LOCAL, None).await;
    let sent_back = ProviderBrowser::default().cancel(&authorize).await;
    assert_eq!(sent_back.param("error").as_deref(), Some("access_denied"));
    let response = app.oauth_callback(&sent_back).await;
    assert_failed(&response, "/login", OAuthFailure::Denied);
    assert_eq!(accounts(&app).await, 0);
}

async fn next_must_be_a_path_of_this_site(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    for next in [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "dashboard",
    ] {
        let response = app.try_oauth_start(LOCAL, Some(next)).await;
        assert!(response.cookies().next().is_none(), "{next}: no flow begun");
        expect_validation_error(response, "next").await;
    }
    assert_eq!(app.count("oauth_flows").await, 0);
}

async fn an_unknown_provider_is_not_found(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let user = app.new_user().await;
    expect_error(
        app.try_oauth_start("nope", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.try_link(&user, "nope").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.try_unlink(&user, LOCAL).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn an_unreachable_provider_is_told(backend: Backend) {
    let closed = format!(
        "http://127.0.0.1:{}",
        test_support::free_port().expect("a port")
    );
    let app = TestApp::spawn_with(
        backend,
        &[
            ("OIDC_PROVIDERS", "down"),
            ("OIDC_DOWN_ISSUER", &closed),
            ("OIDC_DOWN_CLIENT_ID", "id"),
            ("OIDC_DOWN_CLIENT_SECRET", "secret"),
        ],
    )
    .await;
    let response = app.try_oauth_start("down", None).await;
    assert_failed(&response, "/login", OAuthFailure::Unavailable);
    let user = app.new_user().await;
    let refused = app.try_link(&user, "down").await;
    expect_error(
        refused,
        StatusCode::SERVICE_UNAVAILABLE,
        "provider_unavailable",
    )
    .await;
}

async fn the_last_way_to_sign_in_cannot_be_unlinked(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let login = verified_login();
    let user = TestUser::new(&login, app.provider_user(&login).await);
    expect_error(
        app.try_unlink(&user, LOCAL).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(app.linked(&user).await.len(), 1);
}

async fn an_identity_of_another_account_is_not_linked(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let login = verified_login();
    app.new_browser().provider_user(&login).await;
    let user = app.new_user().await;
    let landed = app.link_provider(&user, &login).await;
    assert_eq!(landed, "/account?oauth_error=identity_taken");
    assert!(app.linked(&user).await.is_empty());
    // One link per provider: a second provider account is refused too.
    app.link_provider(&user, &verified_login()).await;
    let second = app.link_provider(&user, &verified_login()).await;
    assert_eq!(second, "/account?oauth_error=provider_already_linked");
}

async fn linking_needs_a_recent_sign_in(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let user = app.new_user().await;
    let user = app.signed_in_ago(&user, Duration::from_secs(3600)).await;
    let refused = app.try_link(&user, LOCAL).await;
    expect_error(refused, StatusCode::FORBIDDEN, "reauthentication_required").await;
    assert_eq!(app.count("oauth_flows").await, 0);
}

async fn a_disabled_account_does_not_sign_in_through_its_provider(backend: Backend) {
    let app = TestApp::spawn_with_provider(backend, &[]).await;
    let login = verified_login();
    let user = app.new_browser().provider_user(&login).await;
    app.execute_sql(&format!(
        "UPDATE users SET is_active = FALSE WHERE id = {}",
        user.user.id
    ))
    .await;
    let response = app.sign_in_with_provider(&login, None).await;
    assert_failed(&response, "/login", OAuthFailure::AccountDisabled);
}
