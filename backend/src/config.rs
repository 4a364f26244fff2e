//! Typed configuration from the environment (and an optional `.env` file in `main`).
//!
//! Every setting is parsed once at start-up; a bad value stops the server with one line naming
//! the variable. `Config::from_lookup` takes any key lookup so tests need no process environment.

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use shared::dto::CreditPackage;

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn invalid(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dev,
    Prod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Where the data lives, chosen from `DATABASE_URL`'s scheme (never guessed by trial).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub const DEFAULT_SQLITE: &'static str = "./data/app.db";

    fn parse(raw: &str) -> Result<Self, ConfigError> {
        let var = "DATABASE_URL";
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Self::Sqlite(PathBuf::from(Self::DEFAULT_SQLITE)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"));
        match path {
            Some("") => Err(invalid(
                var,
                "sqlite URL has no file path (e.g. sqlite://data/app.db)",
            )),
            Some(p) if p.contains(":memory:") || p.starts_with("file:") => Err(invalid(
                var,
                "in-memory SQLite is not supported (each pooled connection would see its own empty database); use a file path",
            )),
            Some(p) => Ok(Self::Sqlite(PathBuf::from(p))),
            None => Err(invalid(
                var,
                "expected sqlite://<path>, postgres://... or postgresql://..., or leave it empty for ./data/app.db",
            )),
        }
    }
}

/// Shows the database without its password, for logs and the start-up line.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            Self::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                write!(f, "PostgreSQL {scheme}://{host}")
            }
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Stripe credentials; present only when both keys are set.
#[derive(Clone)]
pub struct StripeConfig {
    pub secret_key: String,
    pub webhook_secret: String,
    /// `https://api.stripe.com` unless overridden (tests point it at a local fake).
    pub api_base: String,
}

impl fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// The HMAC key for access tokens. Debug output never shows it.
#[derive(Clone)]
pub struct JwtSecret(Vec<u8>);

impl JwtSecret {
    pub const MIN_LEN: usize = 32;

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwtSecret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub database_url: DatabaseUrl,
    pub jwt_secret: JwtSecret,
    /// True when no `JWT_SECRET` was given and a random one was generated (dev mode only).
    pub jwt_secret_generated: bool,
    pub bind_addr: SocketAddr,
    pub static_dir: PathBuf,
    pub cors_origins: Vec<String>,
    pub bcrypt_cost: u32,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub rate_limit_enabled: bool,
    pub rate_limit_auth_per_minute: u32,
    pub rate_limit_api_per_minute: u32,
    pub trust_proxy: bool,
    pub credit_packages: Vec<CreditPackage>,
    pub log_format: LogFormat,
    pub db_pool_size: u32,
    pub db_timeout: Duration,
    pub stripe: Option<StripeConfig>,
    /// Where users reach the app (`https://app.example.com`), for links such as Stripe's return
    /// URLs; when unset, taken from each request's Host.
    pub public_url: Option<String>,
}

pub const DEFAULT_CREDIT_PACKAGES: &str =
    "starter:100:500:usd,pro:1000:4000:usd,scale:10000:30000:usd";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup(name)`; unset and empty values take their defaults.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| {
            lookup(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let mode = match get("APP_MODE").as_deref() {
            None | Some("dev") => Mode::Dev,
            Some("prod") => Mode::Prod,
            Some(other) => {
                return Err(invalid(
                    "APP_MODE",
                    format!("expected dev or prod, got {other:?}"),
                ));
            }
        };
        let prod = mode == Mode::Prod;

        let (jwt_secret, jwt_secret_generated) = match get("JWT_SECRET") {
            Some(s) if s.len() >= JwtSecret::MIN_LEN => (JwtSecret(s.into_bytes()), false),
            Some(_) => {
                return Err(invalid(
                    "JWT_SECRET",
                    "must be at least 32 bytes (try: openssl rand -hex 32)",
                ));
            }
            None if prod => {
                return Err(invalid(
                    "JWT_SECRET",
                    "is required in prod mode (try: openssl rand -hex 32)",
                ));
            }
            None => {
                use rand::RngCore;
                let mut bytes = vec![0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                (JwtSecret(bytes), true)
            }
        };

        let bcrypt_cost = parse_num(&get, "BCRYPT_COST", 12u32)?;
        if !(4..=31).contains(&bcrypt_cost) {
            return Err(invalid("BCRYPT_COST", "must be between 4 and 31"));
        }
        if prod && bcrypt_cost < 10 {
            return Err(invalid("BCRYPT_COST", "must be at least 10 in prod mode"));
        }

        let default_bind = if prod {
            "0.0.0.0:8000"
        } else {
            "127.0.0.1:8000"
        };
        let bind_addr = get("BIND_ADDR")
            .unwrap_or_else(|| default_bind.to_owned())
            .parse()
            .map_err(|_| invalid("BIND_ADDR", "expected host:port, e.g. 127.0.0.1:8000"))?;

        let access_token_ttl =
            parse_duration(&get, "ACCESS_TOKEN_TTL", Duration::from_secs(15 * 60))?;
        let refresh_token_ttl = parse_duration(
            &get,
            "REFRESH_TOKEN_TTL",
            Duration::from_secs(30 * 24 * 3600),
        )?;

        let credit_packages = parse_packages(
            get("CREDIT_PACKAGES")
                .as_deref()
                .unwrap_or(DEFAULT_CREDIT_PACKAGES),
        )?;

        let log_format = match get("LOG_FORMAT").as_deref() {
            None => {
                if prod {
                    LogFormat::Json
                } else {
                    LogFormat::Pretty
                }
            }
            Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "LOG_FORMAT",
                    format!("expected pretty or json, got {other:?}"),
                ));
            }
        };

        let db_pool_size = parse_num(&get, "DB_POOL_SIZE", 8u32)?;
        if db_pool_size == 0 {
            return Err(invalid("DB_POOL_SIZE", "must be at least 1"));
        }

        let stripe = match (get("STRIPE_SECRET_KEY"), get("STRIPE_WEBHOOK_SECRET")) {
            (Some(secret_key), Some(webhook_secret)) => Some(StripeConfig {
                secret_key,
                webhook_secret,
                api_base: get("STRIPE_API_BASE")
                    .unwrap_or_else(|| "https://api.stripe.com".to_owned())
                    .trim_end_matches('/')
                    .to_owned(),
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(invalid(
                    "STRIPE_WEBHOOK_SECRET",
                    "is required with STRIPE_SECRET_KEY",
                ));
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "STRIPE_SECRET_KEY",
                    "is required with STRIPE_WEBHOOK_SECRET",
                ));
            }
        };
        let public_url = get("PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned());
        if public_url
            .as_deref()
            .is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://")))
        {
            return Err(invalid("PUBLIC_URL", "must start with http:// or https://"));
        }

        Ok(Self {
            stripe,
            public_url,
            mode,
            database_url: DatabaseUrl::parse(get("DATABASE_URL").as_deref().unwrap_or(""))?,
            jwt_secret,
            jwt_secret_generated,
            bind_addr,
            static_dir: PathBuf::from(get("STATIC_DIR").unwrap_or_else(|| "dist".to_owned())),
            cors_origins: get("CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            bcrypt_cost,
            access_token_ttl,
            refresh_token_ttl,
            rate_limit_enabled: parse_bool(&get, "RATE_LIMIT_ENABLED", true)?,
            rate_limit_auth_per_minute: parse_num(&get, "RATE_LIMIT_AUTH_PER_MINUTE", 20u32)?,
            rate_limit_api_per_minute: parse_num(&get, "RATE_LIMIT_API_PER_MINUTE", 6000u32)?,
            trust_proxy: parse_bool(&get, "TRUST_PROXY", false)?,
            credit_packages,
            log_format,
            db_pool_size,
            db_timeout: Duration::from_millis(parse_num(&get, "DB_TIMEOUT_MS", 5000u64)?),
        })
    }

    pub fn is_dev(&self) -> bool {
        self.mode == Mode::Dev
    }

    pub fn package(&self, id: &str) -> Option<&CreditPackage> {
        self.credit_packages.iter().find(|p| p.id == id)
    }
}

fn parse_num<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| {
            invalid(
                var,
                format!("expected a non-negative whole number, got {v:?}"),
            )
        }),
    }
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(var).map(|v| v.to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(
            var,
            format!("expected true or false, got {other:?}"),
        )),
    }
}

/// Seconds, or a number with a unit: `900`, `15m`, `12h`, `30d`.
fn parse_duration(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: Duration,
) -> Result<Duration, ConfigError> {
    let Some(raw) = get(var) else {
        return Ok(default);
    };
    let (digits, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw.as_str(), "s"),
    };
    let multiplier = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(invalid(
                var,
                format!("expected seconds or a number with s/m/h/d, got {raw:?}"),
            ));
        }
    };
    match digits.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n.saturating_mul(multiplier))),
        _ => Err(invalid(
            var,
            format!("expected a positive duration, got {raw:?}"),
        )),
    }
}

/// `id:credits:price_cents:currency` entries separated by commas.
fn parse_packages(raw: &str) -> Result<Vec<CreditPackage>, ConfigError> {
    let var = "CREDIT_PACKAGES";
    let mut packages: Vec<CreditPackage> = Vec::new();
    for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let parts: Vec<&str> = entry.split(':').map(str::trim).collect();
        let [id, credits, price, currency] = parts.as_slice() else {
            return Err(invalid(
                var,
                format!("{entry:?} is not id:credits:price_cents:currency"),
            ));
        };
        let positive = |v: &str| v.parse::<i64>().ok().filter(|n| *n > 0);
        let (Some(credits), Some(price_cents)) = (positive(credits), positive(price)) else {
            return Err(invalid(
                var,
                format!("{entry:?}: credits and price_cents must be positive whole numbers"),
            ));
        };
        let valid_id = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_id || packages.iter().any(|p| p.id == *id) {
            return Err(invalid(
                var,
                format!(
                    "{entry:?}: package ids must be unique and made of letters, digits, - or _"
                ),
            ));
        }
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(invalid(
                var,
                format!("{entry:?}: currency must be a 3-letter ISO code"),
            ));
        }
        packages.push(CreditPackage {
            id: (*id).to_owned(),
            credits,
            price_cents,
            currency: currency.to_ascii_lowercase(),
        });
    }
    if packages.is_empty() {
        return Err(invalid(var, "at least one package is required"));
    }
    Ok(packages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn dev_defaults_need_no_settings() {
        let c = config(&[]).unwrap();
        assert_eq!(c.mode, Mode::Dev);
        assert!(c.jwt_secret_generated);
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8000");
        assert_eq!(c.database_url, DatabaseUrl::Sqlite("./data/app.db".into()));
        assert_eq!(c.credit_packages.len(), 3);
        assert_eq!(c.access_token_ttl, Duration::from_secs(900));
    }

    #[test]
    fn prod_refuses_missing_or_short_secret() {
        assert_eq!(
            config(&[("APP_MODE", "prod")]).unwrap_err().var,
            "JWT_SECRET"
        );
        assert_eq!(
            config(&[("APP_MODE", "prod"), ("JWT_SECRET", "short")])
                .unwrap_err()
                .var,
            "JWT_SECRET"
        );
        let ok = config(&[("APP_MODE", "prod"), ("JWT_SECRET", &"s".repeat(32))]).unwrap();
        assert_eq!(ok.bind_addr.to_string(), "0.0.0.0:8000");
        assert_eq!(ok.log_format, LogFormat::Json);
    }

    #[test]
    fn prod_refuses_weak_bcrypt_cost() {
        let err = config(&[
            ("APP_MODE", "prod"),
            ("JWT_SECRET", &"s".repeat(32)),
            ("BCRYPT_COST", "4"),
        ]);
        assert_eq!(err.unwrap_err().var, "BCRYPT_COST");
    }

    #[test]
    fn errors_name_the_variable() {
        for (var, value) in [
            ("APP_MODE", "staging"),
            ("DATABASE_URL", "postgres:x.db"),
            ("DATABASE_URL", "sqlite://:memory:"),
            ("BIND_ADDR", "localhost"),
            ("BCRYPT_COST", "twelve"),
            ("ACCESS_TOKEN_TTL", "10y"),
            ("RATE_LIMIT_ENABLED", "maybe"),
            ("CREDIT_PACKAGES", "a:1:2"),
            ("CREDIT_PACKAGES", "a:0:2:usd"),
            ("CREDIT_PACKAGES", "a:1:2:usd,a:3:4:usd"),
            ("LOG_FORMAT", "xml"),
            ("DB_POOL_SIZE", "0"),
            ("PUBLIC_URL", "app.example.com"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{var}={value} gave {err}");
        }
    }

    #[test]
    fn database_url_schemes() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://x/y.db").unwrap(),
            DatabaseUrl::Sqlite("x/y.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:y.db").unwrap(),
            DatabaseUrl::Sqlite("y.db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
    }

    #[test]
    fn database_url_display_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.internal:5432/app").unwrap();
        assert_eq!(
            url.to_string(),
            "PostgreSQL postgres://db.internal:5432/app"
        );
    }

    #[test]
    fn durations_take_units() {
        let c = config(&[("ACCESS_TOKEN_TTL", "15m"), ("REFRESH_TOKEN_TTL", "7d")]).unwrap();
        assert_eq!(c.access_token_ttl, Duration::from_secs(900));
        assert_eq!(c.refresh_token_ttl, Duration::from_secs(7 * 86_400));
    }

    #[test]
    fn secrets_are_not_in_debug_output() {
        let c = config(&[
            ("JWT_SECRET", "a-very-secret-value-of-32-bytes!!"),
            ("STRIPE_SECRET_KEY", "sk_test_topsecret"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_topsecret"),
        ])
        .unwrap();
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("a-very-secret") && !debug.contains("topsecret"),
            "{debug}"
        );
    }

    #[test]
    fn stripe_needs_both_keys() {
        let c = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_1"),
        ])
        .unwrap();
        assert_eq!(
            c.stripe.map(|s| s.api_base).as_deref(),
            Some("https://api.stripe.com")
        );
        assert!(config(&[]).unwrap().stripe.is_none());
        // One without the other names the missing one.
        assert_eq!(
            config(&[("STRIPE_SECRET_KEY", "sk_test_1")])
                .unwrap_err()
                .var,
            "STRIPE_WEBHOOK_SECRET"
        );
        assert_eq!(
            config(&[("STRIPE_WEBHOOK_SECRET", "whsec_1")])
                .unwrap_err()
                .var,
            "STRIPE_SECRET_KEY"
        );
    }
}
