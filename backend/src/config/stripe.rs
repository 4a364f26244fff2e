//! `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET` and `STRIPE_API_BASE`: Stripe payments, on when
//! both keys are set.

use secrecy::SecretString;

use super::env::{ConfigError, Env};

const SECRET_KEY: &str = "STRIPE_SECRET_KEY";
const WEBHOOK_SECRET: &str = "STRIPE_WEBHOOK_SECRET";

/// Stripe's credentials; `Debug` redacts both keys.
#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    pub webhook_secret: SecretString,
    /// `https://api.stripe.com` unless overridden (tests point it at a local fake).
    pub api_base: String,
}

impl StripeConfig {
    /// Both keys or neither: one without the other names the missing one.
    pub(super) fn from_env(env: &Env) -> Result<Option<Self>, ConfigError> {
        match (env.secret(SECRET_KEY), env.secret(WEBHOOK_SECRET)) {
            (Some(secret_key), Some(webhook_secret)) => Ok(Some(Self {
                secret_key,
                webhook_secret,
                api_base: env
                    .string("STRIPE_API_BASE")
                    .unwrap_or_else(|| "https://api.stripe.com".to_owned())
                    .trim_end_matches('/')
                    .to_owned(),
            })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(ConfigError::new(
                WEBHOOK_SECRET,
                format!("is required with {SECRET_KEY}"),
            )),
            (None, Some(_)) => Err(ConfigError::new(
                SECRET_KEY,
                format!("is required with {WEBHOOK_SECRET}"),
            )),
        }
    }
}
