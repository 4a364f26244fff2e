//! Any OpenID Connect provider, found by discovery: the ID token's signature (from the provider's
//! JWKS), issuer, audience, expiry, nonce and access-token hash are checked by `openidconnect`.
//! The address comes from the ID token, or from the userinfo endpoint when the provider keeps
//! claims there.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
    core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims},
};
use secrecy::ExposeSecret;
use tokio::sync::Mutex;

use super::{Begun, ProviderError};
use crate::{config::ProviderConfig, models::identity::ProviderAccount};

/// How long a discovery (endpoints and signing keys) is used before it is fetched again.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

pub(super) struct OpenIdProvider {
    issuer: String,
    http: reqwest::Client,
    discovered: Mutex<Option<(Instant, Arc<Client>)>>,
}

impl OpenIdProvider {
    pub(super) fn new(issuer: &str, http: reqwest::Client) -> Self {
        Self {
            issuer: issuer.to_owned(),
            http,
            discovered: Mutex::new(None),
        }
    }

    pub(super) async fn begin(&self, config: &ProviderConfig) -> Result<Begun, ProviderError> {
        let client = self.client(config).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begun {
            authorize_url: url.into(),
            state: state.into_secret(),
            pkce_verifier: verifier.into_secret(),
            nonce: nonce.secret().clone(),
        })
    }

    pub(super) async fn finish(
        &self,
        config: &ProviderConfig,
        code: String,
        pkce_verifier: String,
        nonce: String,
    ) -> Result<ProviderAccount, ProviderError> {
        let client = self.client(config).await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| ProviderError::Rejected(e.into()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(ProviderError::from_token_request)?;
        let rejected = |e: anyhow::Error| ProviderError::Rejected(e);
        let id_token = token
            .id_token()
            .context("the token response has no ID token")
            .map_err(rejected)?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce))
            .context("the ID token")
            .map_err(rejected)?;
        if let Some(expected) = claims.access_token_hash() {
            let algorithm = id_token.signing_alg().context("the ID token's algorithm");
            let key = id_token
                .signing_key(&verifier)
                .context("the ID token's key");
            let actual = AccessTokenHash::from_token(
                token.access_token(),
                algorithm.map_err(rejected)?,
                key.map_err(rejected)?,
            )
            .context("the access token's hash")
            .map_err(rejected)?;
            if actual != *expected {
                return Err(rejected(anyhow::anyhow!(
                    "the ID token's at_hash is not the access token's"
                )));
            }
        }
        let subject = claims.subject().to_string();
        if let Some(email) = claims.email() {
            return Ok(ProviderAccount {
                subject,
                email: email.as_str().to_owned(),
                email_verified: claims.email_verified().unwrap_or(false),
            });
        }
        // Claims in the userinfo response instead (the ID token holds only `sub`).
        let info: CoreUserInfoClaims = client
            .user_info(token.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|e| ProviderError::Rejected(e.into()))?
            .request_async(&self.http)
            .await
            .map_err(|e| ProviderError::Rejected(anyhow::Error::new(e).context("userinfo")))?;
        Ok(ProviderAccount {
            subject,
            email: info
                .email()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            email_verified: info.email_verified().unwrap_or(false),
        })
    }

    /// The client from the provider's discovery, fetched when older than [`DISCOVERY_TTL`].
    async fn client(&self, config: &ProviderConfig) -> Result<Arc<Client>, ProviderError> {
        let mut discovered = self.discovered.lock().await;
        if let Some((at, client)) = discovered.as_ref()
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(Arc::clone(client));
        }
        let client = Arc::new(self.discover(config).await?);
        *discovered = Some((Instant::now(), Arc::clone(&client)));
        Ok(client)
    }

    async fn discover(&self, config: &ProviderConfig) -> Result<Client, ProviderError> {
        let issuer = IssuerUrl::new(self.issuer.clone())
            .context("the issuer URL")
            .map_err(ProviderError::Rejected)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .with_context(|| format!("discovery at {}", self.issuer))
            .map_err(ProviderError::Unreachable)?;
        let redirect = RedirectUrl::new(config.redirect_uri.clone())
            .context("the redirect URI")
            .map_err(ProviderError::Rejected)?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            Some(ClientSecret::new(
                config.client_secret.expose_secret().to_owned(),
            )),
        )
        .set_redirect_uri(redirect))
    }
}
