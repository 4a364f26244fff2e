//! Sign-in with identity providers: the authorization code flow with PKCE and `state` (and a
//! `nonce` with OpenID Connect), through the `openidconnect` and `oauth2` crates. This module
//! talks to the providers; the flow's state is kept by `models::OAuthFlow`, the accounts by
//! `models::IdentityRow`, and `routes::oauth` ties them together.

mod github;
mod oidc;
pub mod state_cookie;

use std::time::Duration;

use shared::dto::{AuthProvider, OAuthFailure};

use crate::{
    config::{ProviderConfig, ProviderKind},
    models::identity::ProviderAccount,
};

/// How long a call to a provider may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A flow begun: where to send the browser, and what finishing it needs.
#[derive(Debug)]
pub struct Begun {
    pub authorize_url: String,
    pub state: String,
    pub pkce_verifier: String,
    /// Empty for GitHub (no OpenID Connect).
    pub nonce: String,
}

/// Why talking to a provider failed. The cause goes to the log; the user sees the failure's
/// message.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the provider could not be reached")]
    Unreachable(#[source] anyhow::Error),
    #[error("the provider's answer did not check out")]
    Rejected(#[source] anyhow::Error),
}

impl ProviderError {
    /// A failed code exchange: the network, or the provider's refusal (a bad code or verifier).
    fn from_token_request<RE, TE>(e: oauth2::RequestTokenError<RE, TE>) -> Self
    where
        RE: std::error::Error + Send + Sync + 'static,
        TE: oauth2::ErrorResponse + Send + Sync + 'static,
    {
        match e {
            oauth2::RequestTokenError::Request(e) => {
                Self::Unreachable(anyhow::Error::new(e).context("the token request"))
            }
            e => Self::Rejected(anyhow::Error::new(e).context("the token request")),
        }
    }

    pub fn failure(&self) -> OAuthFailure {
        match self {
            Self::Unreachable(_) => OAuthFailure::Unavailable,
            Self::Rejected(_) => OAuthFailure::Failed,
        }
    }
}

/// The configured providers, each with what it has learnt (an OpenID provider's discovery).
pub struct Providers {
    providers: Vec<Provider>,
}

struct Provider {
    config: ProviderConfig,
    kind: Kind,
}

enum Kind {
    OpenIdConnect(oidc::OpenIdProvider),
    GitHub(github::GitHub),
}

impl Providers {
    pub fn new(configs: &[ProviderConfig]) -> Self {
        // No redirects: a provider's endpoints answer directly, and a redirect to elsewhere
        // (an internal address, say) is not followed.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        let providers = configs
            .iter()
            .map(|config| Provider {
                kind: match &config.kind {
                    ProviderKind::OpenIdConnect { issuer } => {
                        Kind::OpenIdConnect(oidc::OpenIdProvider::new(issuer, http.clone()))
                    }
                    ProviderKind::GitHub { web, api } => {
                        Kind::GitHub(github::GitHub::new(web, api, http.clone()))
                    }
                },
                config: config.clone(),
            })
            .collect();
        Self { providers }
    }

    /// What the sign-in page offers.
    pub fn list(&self) -> Vec<AuthProvider> {
        self.providers
            .iter()
            .map(|p| AuthProvider {
                id: p.config.id.clone(),
                name: p.config.name.clone(),
                email: None,
            })
            .collect()
    }

    /// The display name of `id`, if configured.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.find(id).map(|p| p.config.name.as_str())
    }

    pub fn is_configured(&self, id: &str) -> bool {
        self.find(id).is_some()
    }

    /// Starts a flow at `id` (a configured provider: check with `is_configured`).
    pub async fn begin(&self, id: &str) -> Result<Begun, ProviderError> {
        let provider = self.get(id)?;
        match &provider.kind {
            Kind::OpenIdConnect(oidc) => oidc.begin(&provider.config).await,
            Kind::GitHub(github) => github.begin(&provider.config),
        }
    }

    /// Exchanges `code` (with the flow's PKCE verifier) and checks who signed in.
    pub async fn finish(
        &self,
        id: &str,
        code: String,
        pkce_verifier: String,
        nonce: String,
    ) -> Result<ProviderAccount, ProviderError> {
        let provider = self.get(id)?;
        match &provider.kind {
            Kind::OpenIdConnect(oidc) => {
                oidc.finish(&provider.config, code, pkce_verifier, nonce)
                    .await
            }
            Kind::GitHub(github) => github.finish(&provider.config, code, pkce_verifier).await,
        }
    }

    fn find(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.config.id == id)
    }

    fn get(&self, id: &str) -> Result<&Provider, ProviderError> {
        self.find(id).ok_or_else(|| {
            ProviderError::Rejected(anyhow::anyhow!("no provider {id:?} is configured"))
        })
    }
}
