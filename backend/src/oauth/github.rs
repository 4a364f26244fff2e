//! GitHub: OAuth 2 (no OpenID Connect), then its REST API for the user's id and their verified
//! primary address.

use anyhow::Context;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl, basic::BasicClient,
};
use secrecy::ExposeSecret;
use serde::Deserialize;

use super::{Begun, ProviderError};
use crate::{config::ProviderConfig, models::identity::ProviderAccount};

pub(super) struct GitHub {
    web: String,
    api: String,
    http: reqwest::Client,
}

/// `GET /user`: the id is the stable subject (a login can be renamed).
#[derive(Deserialize)]
struct User {
    id: u64,
}

/// One of `GET /user/emails`.
#[derive(Deserialize)]
struct Email {
    email: String,
    primary: bool,
    verified: bool,
}

impl GitHub {
    pub(super) fn new(web: &str, api: &str, http: reqwest::Client) -> Self {
        Self {
            web: web.to_owned(),
            api: api.to_owned(),
            http,
        }
    }

    pub(super) fn begin(&self, config: &ProviderConfig) -> Result<Begun, ProviderError> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .client(config)?
            .authorize_url(CsrfToken::new_random)
            .add_scope(Scope::new("user:email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begun {
            authorize_url: url.into(),
            state: state.into_secret(),
            pkce_verifier: verifier.into_secret(),
            nonce: String::new(),
        })
    }

    pub(super) async fn finish(
        &self,
        config: &ProviderConfig,
        code: String,
        pkce_verifier: String,
    ) -> Result<ProviderAccount, ProviderError> {
        let token = self
            .client(config)?
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(ProviderError::from_token_request)?;
        let bearer = token.access_token().secret();
        let user: User = self.get(bearer, "/user").await?;
        let emails: Vec<Email> = self.get(bearer, "/user/emails").await?;
        // The primary address when verified; else any verified one is not the user's own pick.
        let primary = emails.into_iter().find(|e| e.primary);
        Ok(ProviderAccount {
            subject: user.id.to_string(),
            email_verified: primary.as_ref().is_some_and(|e| e.verified),
            email: primary.map(|e| e.email).unwrap_or_default(),
        })
    }

    async fn get<T: for<'de> Deserialize<'de>>(
        &self,
        bearer: &str,
        path: &str,
    ) -> Result<T, ProviderError> {
        let response = self
            .http
            .get(format!("{}{path}", self.api))
            .bearer_auth(bearer)
            .header("Accept", "application/vnd.github+json")
            .header("User-Agent", "saas-starter")
            .send()
            .await
            .with_context(|| format!("GET {path}"))
            .map_err(ProviderError::Unreachable)?;
        response
            .error_for_status()
            .with_context(|| format!("GET {path}"))
            .map_err(ProviderError::Rejected)?
            .json()
            .await
            .with_context(|| format!("GET {path}: the body"))
            .map_err(ProviderError::Rejected)
    }

    fn client(
        &self,
        config: &ProviderConfig,
    ) -> Result<
        BasicClient<
            oauth2::EndpointSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointSet,
        >,
        ProviderError,
    > {
        let url = |e: oauth2::url::ParseError| ProviderError::Rejected(e.into());
        Ok(BasicClient::new(ClientId::new(config.client_id.clone()))
            .set_client_secret(ClientSecret::new(
                config.client_secret.expose_secret().to_owned(),
            ))
            .set_auth_uri(AuthUrl::new(format!("{}/login/oauth/authorize", self.web)).map_err(url)?)
            .set_token_uri(
                TokenUrl::new(format!("{}/login/oauth/access_token", self.web)).map_err(url)?,
            )
            .set_redirect_uri(RedirectUrl::new(config.redirect_uri.clone()).map_err(url)?))
    }
}
