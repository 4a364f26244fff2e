//! The access tokens' settings: `JWT_SIGNING_KEYS`, `JWT_AUDIENCE`, and the issuer (`PUBLIC_URL`).

use std::path::Path;

use super::{
    DEV_PUBLIC_URL, Mode,
    env::{ConfigError, Env},
};
use crate::auth::signing_key::{DEV_KEY_FILE, SigningKey};

const SIGNING_KEYS: &str = "JWT_SIGNING_KEYS";
const MAKE_ONE: &str = "make one with: openssl genpkey -algorithm ed25519";

#[derive(Debug, Clone)]
pub struct TokenConfig {
    /// The first signs, all verify. `None` in dev mode without `JWT_SIGNING_KEYS`: the key kept
    /// in `data/`, made on first start.
    pub signing_keys: Option<Vec<SigningKey>>,
    /// `iss`: where users reach the app.
    pub issuer: String,
    /// `aud`: who the tokens are for.
    pub audience: String,
}

impl TokenConfig {
    pub(super) fn from_env(
        env: &Env,
        mode: Mode,
        public_url: Option<&str>,
        app_name: &str,
    ) -> Result<Self, ConfigError> {
        let signing_keys = env.parse_with(SIGNING_KEYS, signing_keys)?;
        if mode == Mode::Prod {
            if signing_keys.is_none() {
                let was = match env.string("JWT_SECRET") {
                    Some(_) => " (JWT_SECRET, an HS256 secret, is no longer read)",
                    None => "",
                };
                return Err(ConfigError::new(
                    SIGNING_KEYS,
                    format!("is required in prod mode{was}: {MAKE_ONE}"),
                ));
            }
            if public_url.is_none() {
                return Err(ConfigError::new(
                    "PUBLIC_URL",
                    "is required in prod mode: it is the issuer (iss) of access tokens, which \
                     other services check",
                ));
            }
        }
        Ok(Self {
            signing_keys,
            issuer: public_url.unwrap_or(DEV_PUBLIC_URL).to_owned(),
            audience: env
                .string("JWT_AUDIENCE")
                .unwrap_or_else(|| app_name.to_owned()),
        })
    }

    /// The keys, dev mode's made or read from [`DEV_KEY_FILE`].
    pub fn keys(&self) -> std::io::Result<Vec<SigningKey>> {
        match &self.signing_keys {
            Some(keys) => Ok(keys.clone()),
            None => Ok(vec![SigningKey::dev_key(Path::new(DEV_KEY_FILE))?]),
        }
    }
}

/// PEM text (one or more `PRIVATE KEY` blocks), or comma-separated paths of files holding them.
fn signing_keys(raw: &str) -> Result<Vec<SigningKey>, String> {
    if raw.starts_with("-----BEGIN") {
        return SigningKey::all_from_pem(raw).map_err(|e| format!("{e}; {MAKE_ONE}"));
    }
    let mut keys = Vec::new();
    let paths = raw.split(',').map(str::trim).filter(|p| !p.is_empty());
    for (i, path) in paths.enumerate() {
        // Not the path itself: a secret pasted here by mistake must not reach the log.
        let entry = i + 1;
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!("entry {entry} is neither PEM text nor a readable file ({e}); {MAKE_ONE}")
        })?;
        keys.extend(SigningKey::all_from_pem(&text).map_err(|e| format!("file {entry}: {e}"))?);
    }
    if keys.is_empty() {
        return Err(format!("holds no key: {MAKE_ONE}"));
    }
    Ok(keys)
}
