//! The identity providers users may sign in with: any OpenID Connect provider by issuer
//! (`OIDC_PROVIDERS=google` with `OIDC_GOOGLE_ISSUER`, `OIDC_GOOGLE_CLIENT_ID`,
//! `OIDC_GOOGLE_CLIENT_SECRET` and optionally `OIDC_GOOGLE_NAME`), and GitHub (`GITHUB_CLIENT_ID`
//! with `GITHUB_CLIENT_SECRET`). Each is registered at its provider with the redirect URI
//! `{PUBLIC_URL}/api/auth/oauth/{id}/callback`.

use secrecy::SecretString;

use super::{
    Mode,
    env::{ConfigError, Env},
};

const PROVIDERS: &str = "OIDC_PROVIDERS";
const GITHUB: &str = "github";
const GITHUB_CLIENT_ID: &str = "GITHUB_CLIENT_ID";
const GITHUB_CLIENT_SECRET: &str = "GITHUB_CLIENT_SECRET";
const ID_MAX_LEN: usize = 32;

/// A provider as configured; `Debug` redacts the secret.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    /// In URLs (`/api/auth/oauth/{id}/start`) and in the identities table.
    pub id: String,
    /// What the sign-in button says: "Continue with {name}".
    pub name: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where the provider sends the browser back: exactly this, registered at the provider.
    pub redirect_uri: String,
    pub kind: ProviderKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderKind {
    /// Found by discovery at `{issuer}/.well-known/openid-configuration`.
    OpenIdConnect { issuer: String },
    /// OAuth 2 and its REST API: `web` serves the consent page and tokens, `api` the user and
    /// their verified addresses (tests point both at a local fake; GitHub Enterprise elsewhere).
    GitHub { web: String, api: String },
}

/// Every configured provider, OpenID Connect ones in `OIDC_PROVIDERS` order, then GitHub.
pub(super) fn providers(
    env: &Env,
    mode: Mode,
    public_url: &str,
) -> Result<Vec<ProviderConfig>, ConfigError> {
    let redirect_uri = |id: &str| format!("{public_url}/api/auth/oauth/{id}/callback");
    let mut providers = Vec::new();
    for id in env.list(PROVIDERS) {
        check_id(&id, &providers)?;
        let var = |setting: &str| format!("OIDC_{}_{setting}", id.to_uppercase().replace('-', "_"));
        let required = |setting: &str| {
            let name = var(setting);
            env.string(&name).ok_or_else(|| {
                ConfigError::new(name, format!("is required: {id} is in {PROVIDERS}"))
            })
        };
        let issuer_var = var("ISSUER");
        let issuer = required("ISSUER")?.trim_end_matches('/').to_owned();
        check_url(&issuer_var, &issuer, mode)?;
        providers.push(ProviderConfig {
            name: env
                .string(&var("NAME"))
                .unwrap_or_else(|| display_name(&id)),
            client_id: required("CLIENT_ID")?,
            client_secret: SecretString::from(required("CLIENT_SECRET")?),
            redirect_uri: redirect_uri(&id),
            kind: ProviderKind::OpenIdConnect { issuer },
            id,
        });
    }
    match (
        env.string(GITHUB_CLIENT_ID),
        env.secret(GITHUB_CLIENT_SECRET),
    ) {
        (Some(client_id), Some(client_secret)) => {
            let url = |var: &'static str, default: &str| {
                let url = env.string(var).unwrap_or_else(|| default.to_owned());
                let url = url.trim_end_matches('/').to_owned();
                check_url(var, &url, mode).map(|()| url)
            };
            providers.push(ProviderConfig {
                id: GITHUB.to_owned(),
                name: "GitHub".to_owned(),
                client_id,
                client_secret,
                redirect_uri: redirect_uri(GITHUB),
                kind: ProviderKind::GitHub {
                    web: url("GITHUB_URL", "https://github.com")?,
                    api: url("GITHUB_API_URL", "https://api.github.com")?,
                },
            });
        }
        (None, None) => {}
        (Some(_), None) => {
            return Err(ConfigError::new(
                GITHUB_CLIENT_SECRET,
                format!("is required with {GITHUB_CLIENT_ID}"),
            ));
        }
        (None, Some(_)) => {
            return Err(ConfigError::new(
                GITHUB_CLIENT_ID,
                format!("is required with {GITHUB_CLIENT_SECRET}"),
            ));
        }
    }
    Ok(providers)
}

/// Lower-case letters, digits and `-`, unique, and not `github` (configured by its own
/// variables).
fn check_id(id: &str, seen: &[ProviderConfig]) -> Result<(), ConfigError> {
    let well_formed = !id.is_empty()
        && id.len() <= ID_MAX_LEN
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let problem = if !well_formed {
        format!("{id:?}: a provider id is 1 to {ID_MAX_LEN} lower-case letters, digits or -")
    } else if id == GITHUB {
        format!("{GITHUB:?} is configured by {GITHUB_CLIENT_ID} and {GITHUB_CLIENT_SECRET}")
    } else if seen.iter().any(|p| p.id == id) {
        format!("{id:?} is listed twice")
    } else {
        return Ok(());
    };
    Err(ConfigError::new(PROVIDERS, problem))
}

/// https, or http in dev mode (a provider running on this machine).
fn check_url(var: &str, url: &str, mode: Mode) -> Result<(), ConfigError> {
    let allowed = url.starts_with("https://") || (mode == Mode::Dev && url.starts_with("http://"));
    if allowed && url.len() > "https://".len() {
        return Ok(());
    }
    let why = match mode {
        Mode::Prod => "must be an https:// URL in prod mode",
        Mode::Dev => "must be an http:// or https:// URL",
    };
    Err(ConfigError::new(var.to_owned(), why))
}

/// `google` shows as "Google", `my-idp` as "My-idp".
fn display_name(id: &str) -> String {
    let mut chars = id.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}
