//! Signing up, signing in, refreshing and signing out.

use reqwest::StatusCode;
use shared::dto::{Role, TokenResponse};

use backend::{
    models::UserRow,
    tasks::{IfExists, create_admin},
};

use crate::helpers::*;

both_backends!(
    signup_returns_201_a_token_and_a_refresh_cookie,
    login_accepts_the_email_in_any_case,
    token_form_signs_in_like_login,
    refresh_rotates_the_token_and_the_cookie,
    logout_clears_the_cookie_and_ends_the_session,
    sign_in_remakes_a_hash_of_an_older_cost,
);

async fn signup_returns_201_a_token_and_a_refresh_cookie(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let response = app
        .try_signup("  Ada.Lovelace@Example.COM ", PASSWORD)
        .await;
    let cookie = RefreshCookie::of(&response).expect("signup sets the refresh cookie");
    let tokens: TokenResponse = expect_json(response, StatusCode::CREATED).await;

    assert!(!cookie.value.is_empty() && !cookie.cleared);
    assert!(cookie.http_only, "the refresh cookie is HttpOnly");
    assert!(
        cookie.same_site_strict,
        "the refresh cookie is SameSite=Strict"
    );
    assert_eq!(cookie.path.as_deref(), Some("/api/auth"));
    assert!(
        !cookie.secure,
        "no Secure attribute in dev mode (plain http)"
    );
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, app.access_token_ttl());
    assert_eq!(
        tokens.user.email, "ada.lovelace@example.com",
        "emails are stored lower-case"
    );
    assert_eq!(tokens.user.role, Role::User);
    assert_eq!(tokens.user.credits, 0, "new users start with no credits");
    assert!(tokens.user.is_active);

    let me = app.me(Auth::Bearer(&tokens.access_token)).await;
    assert_eq!(me, tokens.user);
}

async fn login_accepts_the_email_in_any_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let browser = app.new_browser();
    let response = browser
        .try_login(&user.email.to_uppercase(), PASSWORD)
        .await;
    assert!(
        RefreshCookie::of(&response).is_some(),
        "login sets the refresh cookie"
    );
    let tokens: TokenResponse = expect_json(response, StatusCode::OK).await;

    assert_eq!(tokens.user.id, user.id);
    assert_eq!(tokens.user.email, user.email);
    assert_eq!(tokens.token_type, "Bearer");
    browser.me(Auth::Bearer(&tokens.access_token)).await;
    browser.refresh().await;
}

async fn token_form_signs_in_like_login(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let tokens: TokenResponse = expect_json(
        app.try_token_form(&user.email, PASSWORD).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(tokens.user.id, user.id);
    assert_eq!(tokens.token_type, "Bearer");
    let me = app.me(Auth::Bearer(&tokens.access_token)).await;
    assert_eq!(me.id, user.id);
}

async fn refresh_rotates_the_token_and_the_cookie(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = RefreshCookie::of(&app.try_signup(&unique_email(), PASSWORD).await)
        .expect("signup sets the refresh cookie");

    let response = app.try_refresh().await;
    let second = RefreshCookie::of(&response).expect("refresh sets a new cookie");
    let tokens: TokenResponse = expect_json(response, StatusCode::OK).await;
    assert_ne!(second.value, first.value, "the refresh token rotates");
    assert!(second.http_only && second.same_site_strict && !second.cleared);
    assert_eq!(second.path.as_deref(), Some("/api/auth"));
    let me = app.me(Auth::Bearer(&tokens.access_token)).await;
    assert_eq!(me, tokens.user);

    let third = RefreshCookie::of(&app.try_refresh().await).expect("each refresh rotates");
    assert_ne!(third.value, second.value);
}

async fn logout_clears_the_cookie_and_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cookie = RefreshCookie::of(&app.try_signup(&unique_email(), PASSWORD).await)
        .expect("signup sets the refresh cookie");

    let response = app.try_logout().await;
    let cleared = RefreshCookie::of(&response).expect("logout answers with the cookie cleared");
    assert!(
        cleared.cleared,
        "logout clears the refresh cookie: {cleared:?}"
    );
    expect_no_content(response).await;

    expect_error(
        app.try_refresh().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let replayed = app.try_refresh_with_cookie(&cookie.value).await;
    expect_error(replayed, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// A hash made at another `BCRYPT_COST` is made again at sign-in, at the current cost, without
/// ending any session: the password did not change.
async fn sign_in_remakes_a_hash_of_an_older_cost(backend: Backend) {
    let app = TestApp::spawn(backend).await; // BCRYPT_COST=4
    let email = unique_email();
    let older = backend::Config {
        bcrypt_cost: 5,
        ..app.config()
    };
    let task_email = email.clone();
    app.run_task(move |_| create_admin(&older, &task_email, PASSWORD, IfExists::Refuse))
        .await
        .expect("the account is made at cost 5");
    let stored_cost = || {
        let (mut conn, email) = (app.connect_to_database(), email.clone());
        let user = UserRow::find_by_email(&mut conn, &email)
            .expect("a read")
            .expect("the account");
        user.password_hash
            .parse::<bcrypt::HashParts>()
            .expect("a bcrypt hash")
            .get_cost()
    };
    assert_eq!(stored_cost(), 5);

    let tokens = app.login(&email, PASSWORD).await;

    assert_eq!(stored_cost(), 4);
    app.me(Auth::Bearer(&tokens.access_token)).await;
    app.new_browser().login(&email, PASSWORD).await;
}
