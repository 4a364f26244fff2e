//! Typed configuration from the environment (and an optional `.env` file in `main`).
//!
//! Every setting is parsed once at start-up; a bad value stops the server with one line naming
//! the variable. `Config::from_lookup` takes any key lookup so tests need no process environment,
//! and reads the settings in the order of the README's configuration table. The reader and its
//! errors are in `env`, the values with a syntax of their own beside it; `checks` holds the rules
//! that go beyond one value's syntax, such as what prod mode refuses.

mod checks;
mod choices;
mod database_url;
mod env;
mod mail;
mod oauth;
mod packages;
mod storage;
mod stripe;
#[cfg(test)]
mod tests;
mod tokens;

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use shared::dto::CreditPackage;

use crate::models::session::Lifetime;

pub use self::{
    choices::{LogFormat, Mode},
    database_url::DatabaseUrl,
    env::ConfigError,
    mail::MailConfig,
    oauth::{ProviderConfig, ProviderKind},
    storage::{StorageConfig, StorageUrl},
    stripe::StripeConfig,
    tokens::TokenConfig,
};
use self::{env::Env, packages::CreditPackages};

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub database_url: DatabaseUrl,
    /// How access tokens are signed, and for whom.
    pub tokens: TokenConfig,
    pub bind_addr: SocketAddr,
    pub static_dir: PathBuf,
    pub cors_origins: Vec<String>,
    pub bcrypt_cost: u32,
    /// Password hashes that may wait for a core; past them, 503 `busy` at once.
    pub bcrypt_queue: u16,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// A session's absolute lifetime from its sign-in, however often it is refreshed.
    pub session_max_age: Duration,
    pub rate_limit_enabled: bool,
    pub rate_limit_auth_per_minute: u32,
    pub rate_limit_api_per_minute: u32,
    pub trust_proxy: bool,
    pub credit_packages: Vec<CreditPackage>,
    /// The most live API keys one user may hold.
    pub max_api_keys: u32,
    pub log_format: LogFormat,
    pub db_pool_size: u32,
    pub db_timeout: Duration,
    pub stripe: Option<StripeConfig>,
    /// Where users reach the app (`https://app.example.com`), for links such as Stripe's return
    /// URLs; when unset, taken from each request's Host. Email links never use the Host.
    pub public_url: Option<String>,
    pub mail: MailConfig,
    /// The identity providers users may sign in with; none by default.
    pub oauth_providers: Vec<ProviderConfig>,
    /// Where attachments are stored, and the limits on them.
    pub storage: StorageConfig,
}

/// Where `make run` serves the app: the base of links, and the tokens' issuer, when `PUBLIC_URL`
/// is unset in dev.
const DEV_PUBLIC_URL: &str = "http://127.0.0.1:8000";

const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(86_400);

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup(name)`; unset and blank values take their defaults.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env::new(lookup);
        let mode = env.parse("APP_MODE")?.unwrap_or(Mode::Dev);
        let prod = mode == Mode::Prod;
        let bind_addr = env.socket_addr("BIND_ADDR")?.unwrap_or(if prod {
            SocketAddr::from(([0, 0, 0, 0], 8000))
        } else {
            SocketAddr::from(([127, 0, 0, 1], 8000))
        });
        checks::dev_mode_bind(&env, mode, bind_addr)?;
        let public_url = checks::public_url(&env)?;
        let app_name = mail::app_name(&env);
        let tokens = TokenConfig::from_env(&env, mode, public_url.as_deref(), &app_name)?;
        Ok(Self {
            mode,
            database_url: env.parse("DATABASE_URL")?.unwrap_or_default(),
            tokens,
            bind_addr,
            static_dir: env.parse("STATIC_DIR")?.unwrap_or_else(|| "dist".into()),
            cors_origins: env.list("CORS_ORIGINS"),
            bcrypt_cost: checks::bcrypt_cost(&env, mode)?,
            bcrypt_queue: env.number("BCRYPT_QUEUE", 32)?,
            access_token_ttl: env.duration("ACCESS_TOKEN_TTL", 15 * MINUTE)?,
            refresh_token_ttl: env.duration("REFRESH_TOKEN_TTL", 30 * DAY)?,
            session_max_age: env.duration("SESSION_MAX_AGE", 30 * DAY)?,
            rate_limit_enabled: env.bool("RATE_LIMIT_ENABLED", true)?,
            rate_limit_auth_per_minute: env.number("RATE_LIMIT_AUTH_PER_MINUTE", 20)?,
            rate_limit_api_per_minute: env.number("RATE_LIMIT_API_PER_MINUTE", 6000)?,
            trust_proxy: env.bool("TRUST_PROXY", false)?,
            credit_packages: env
                .parse_or::<CreditPackages>("CREDIT_PACKAGES", CreditPackages::DEFAULT)?
                .0,
            max_api_keys: checks::at_least_one(&env, "MAX_API_KEYS", 100)?,
            log_format: env.parse("LOG_FORMAT")?.unwrap_or(if prod {
                LogFormat::Json
            } else {
                LogFormat::Pretty
            }),
            db_pool_size: checks::at_least_one(&env, "DB_POOL_SIZE", 8)?,
            db_timeout: Duration::from_millis(env.number("DB_TIMEOUT_MS", 5000)?),
            stripe: StripeConfig::from_env(&env)?,
            mail: MailConfig::from_env(&env, mode, public_url.as_deref(), app_name)?,
            oauth_providers: oauth::providers(
                &env,
                mode,
                public_url.as_deref().unwrap_or(DEV_PUBLIC_URL),
            )?,
            storage: StorageConfig::from_env(&env)?,
            public_url,
        })
    }

    /// The base of every absolute link the app hands out (emails' links, download links):
    /// `PUBLIC_URL`, else where `make run` serves in dev (prod requires `PUBLIC_URL`).
    pub fn public_origin(&self) -> &str {
        self.public_url.as_deref().unwrap_or(DEV_PUBLIC_URL)
    }

    pub fn is_dev(&self) -> bool {
        self.mode == Mode::Dev
    }

    /// How long a session lives, idle and at most.
    pub fn session_lifetime(&self) -> Lifetime {
        Lifetime {
            idle: self.refresh_token_ttl,
            max: self.session_max_age,
        }
    }

    pub fn package(&self, id: &str) -> Option<&CreditPackage> {
        self.credit_packages.iter().find(|p| p.id == id)
    }
}
