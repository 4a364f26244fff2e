//! Signing in through identity providers: the real OpenID provider (npm `oidc-provider`, one per
//! test process, as `local`), the flows' redirects, and where they land.

use reqwest::{Response, StatusCode, header};
use shared::dto::{AuthProvider, LinkIdentityRequest, LinkStarted, OAuthFailure, TokenResponse};
use test_support::{OidcProvider, ProviderBrowser, oidc::SentBack};

use super::{
    app::{Auth, TestApp},
    assertions::expect_json,
    database::Backend,
    users::TestUser,
};

/// The OpenID provider's id in the tests, and its display name.
pub const LOCAL: &str = "local";
pub const LOCAL_NAME: &str = "Local ID";

/// Where the provider sends the browser back: the app's public origin, whatever port the server
/// under test listens on (the tests make the provider's redirect to it themselves).
pub const PUBLIC_URL: &str = "https://app.example.com";

/// The test process's OpenID provider.
fn local_provider() -> &'static OidcProvider {
    OidcProvider::shared(&[LOCAL])
}

/// An address the local provider vouches for, and no other test uses.
pub fn verified_login() -> String {
    super::users::unique_email()
}

/// An address the local provider does not vouch for.
pub fn unverified_login() -> String {
    format!("unverified-{}", super::users::unique_email())
}

impl TestApp {
    /// A server with the local OpenID provider configured, and `overrides`.
    pub async fn spawn_with_provider(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        let provider = local_provider().settings(LOCAL, LOCAL_NAME);
        let settings: Vec<(&str, &str)> = provider
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("PUBLIC_URL", PUBLIC_URL)])
            .chain(overrides.iter().copied())
            .collect();
        Self::spawn_with(backend, &settings).await
    }

    pub async fn try_oauth_start(&self, provider: &str, next: Option<&str>) -> Response {
        let mut request = self.request(
            reqwest::Method::GET,
            &format!("/api/auth/oauth/{provider}/start"),
            Auth::None,
        );
        if let Some(next) = next {
            request = request.query(&[("next", next)]);
        }
        request
            .send()
            .await
            .expect("the request reached the server")
    }

    /// Begins signing in at `provider` in this browser: the provider's authorize URL.
    pub async fn oauth_start(&self, provider: &str, next: Option<&str>) -> String {
        let response = self.try_oauth_start(provider, next).await;
        assert_eq!(response.status(), StatusCode::FOUND, "the start redirects");
        assert!(
            response
                .cookies()
                .any(|c| c.name() == "oauth_state" && c.http_only()),
            "the start sets the flow's cookie"
        );
        location(&response)
    }

    /// The provider's redirect back, followed in this browser: the callback's response.
    pub async fn oauth_callback(&self, sent_back: &SentBack) -> Response {
        self.get(&sent_back.path_and_query(), Auth::None).await
    }

    /// Signs in through the local provider as `login` (any email), from start to callback: the
    /// callback's response.
    pub async fn sign_in_with_provider(&self, login: &str, next: Option<&str>) -> Response {
        let authorize = self.oauth_start(LOCAL, next).await;
        let sent_back = ProviderBrowser::default().sign_in(&authorize, login).await;
        self.oauth_callback(&sent_back).await
    }

    /// Signs in (or up) through the local provider as `login`: the new session's tokens.
    pub async fn provider_user(&self, login: &str) -> TokenResponse {
        let response = self.sign_in_with_provider(login, None).await;
        assert_eq!(location(&response), "/dashboard", "signed in");
        self.refresh().await
    }

    /// `GET /api/me/identities`: linked providers, then linkable ones.
    pub async fn identities(&self, user: &TestUser) -> Vec<AuthProvider> {
        expect_json(
            self.get("/api/me/identities", user.bearer()).await,
            StatusCode::OK,
        )
        .await
    }

    /// The providers `user` is linked to.
    pub async fn linked(&self, user: &TestUser) -> Vec<AuthProvider> {
        self.identities(user)
            .await
            .into_iter()
            .filter(|p| p.email.is_some())
            .collect()
    }

    pub async fn try_link(&self, user: &TestUser, provider: &str) -> Response {
        let path = format!("/api/me/identities/{provider}");
        self.post_json(&path, &LinkIdentityRequest::default(), user.bearer())
            .await
    }

    /// Links the local provider's account `login` to `user`, signed in in this browser: where
    /// the callback lands.
    pub async fn link_provider(&self, user: &TestUser, login: &str) -> String {
        let started: LinkStarted =
            expect_json(self.try_link(user, LOCAL).await, StatusCode::OK).await;
        let sent_back = ProviderBrowser::default()
            .sign_in(&started.authorize_url, login)
            .await;
        location(&self.oauth_callback(&sent_back).await)
    }

    pub async fn try_unlink(&self, user: &TestUser, provider: &str) -> Response {
        self.delete(&format!("/api/me/identities/{provider}"), user.bearer())
            .await
    }
}

/// A redirect's `Location`.
pub fn location(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::FOUND, "a redirect");
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .expect("a Location")
        .to_owned()
}

/// Asserts the flow landed on `page` with `failure`.
pub fn assert_failed(response: &Response, page: &str, failure: OAuthFailure) {
    assert_eq!(
        location(response),
        format!("{page}?oauth_error={}", failure.as_str()),
    );
}
