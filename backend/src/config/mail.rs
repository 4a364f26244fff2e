//! The email settings: `SMTP_URL`, `MAIL_FROM`, `APP_NAME`, `REQUIRE_VERIFIED_EMAIL` and
//! `MAIL_SEND_TIMEOUT`, and `PUBLIC_URL` (required in prod), the base of every link in an email.

use std::time::Duration;

use lettre::message::Mailbox;
use secrecy::{ExposeSecret, SecretString};

use super::{
    DEV_PUBLIC_URL, Mode,
    env::{ConfigError, Env},
};

const SMTP_URL: &str = "SMTP_URL";
const MAIL_FROM: &str = "MAIL_FROM";

#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The SMTP server (`smtp://user:pass@host:587`, `smtps://...`); `Debug` redacts it. In prod
    /// an `smtp://` URL without `?tls=` means STARTTLS, required. `None`: emails go to the log
    /// (dev), or nowhere (prod, which then refuses `REQUIRE_VERIFIED_EMAIL`).
    pub smtp_url: Option<SecretString>,
    pub from: Mailbox,
    /// The product's name in every email.
    pub app_name: String,
    /// The base of every link in an email (`PUBLIC_URL`, or where `make run` serves in dev).
    pub link_base: String,
    /// Whether buying credits and creating API keys need a verified address.
    pub require_verified_email: bool,
    /// How long one SMTP delivery may take; a claimed email is retried after twice this.
    pub send_timeout: Duration,
}

/// `APP_NAME`: the product's name in emails, and the tokens' default audience.
pub(super) fn app_name(env: &Env) -> String {
    env.string("APP_NAME")
        .unwrap_or_else(|| "SaaS Starter".to_owned())
}

impl MailConfig {
    pub(super) fn from_env(
        env: &Env,
        mode: Mode,
        public_url: Option<&str>,
        app_name: String,
    ) -> Result<Self, ConfigError> {
        let prod = mode == Mode::Prod;
        let smtp_url = smtp_url(env, mode)?;
        let require_verified_email = env.bool("REQUIRE_VERIFIED_EMAIL", prod)?;
        if prod && require_verified_email && smtp_url.is_none() {
            return Err(ConfigError::new(
                SMTP_URL,
                "is required in prod mode while REQUIRE_VERIFIED_EMAIL is true (the default): \
                 without it no one could verify their address",
            ));
        }
        Ok(Self {
            from: mail_from(env, prod && smtp_url.is_some(), &app_name)?,
            smtp_url,
            app_name,
            link_base: public_url.unwrap_or(DEV_PUBLIC_URL).to_owned(),
            require_verified_email,
            send_timeout: env.duration("MAIL_SEND_TIMEOUT", Duration::from_secs(30))?,
        })
    }
}

/// `SMTP_URL`, checked by building the transport from it (which connects to nothing). In prod a
/// plain `smtp://` URL is upgraded to `?tls=required`: credentials and links never travel in
/// the clear to a real server.
fn smtp_url(env: &Env, mode: Mode) -> Result<Option<SecretString>, ConfigError> {
    let Some(raw) = env.secret(SMTP_URL) else {
        return Ok(None);
    };
    let url = raw.expose_secret();
    let shape = "expected smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465";
    if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
        return Err(ConfigError::new(SMTP_URL, shape));
    }
    let url = if mode == Mode::Prod && url.starts_with("smtp://") && !url.contains("tls=") {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}tls=required")
    } else {
        url.to_owned()
    };
    // The error is not shown: it could quote the URL, password included.
    lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url)
        .map_err(|_| ConfigError::new(SMTP_URL, shape))?;
    Ok(Some(url.into()))
}

/// `MAIL_FROM` (`Name <address>` or an address), required when prod mode sends email; else
/// `APP_NAME <no-reply@localhost>`.
fn mail_from(env: &Env, required: bool, app_name: &str) -> Result<Mailbox, ConfigError> {
    match env.string(MAIL_FROM) {
        Some(raw) => raw.parse().map_err(|_| {
            ConfigError::new(
                MAIL_FROM,
                format!("expected an address such as \"{app_name} <no-reply@example.com>\""),
            )
        }),
        None if required => Err(ConfigError::new(
            MAIL_FROM,
            "is required in prod mode with SMTP_URL (the address your emails come from)",
        )),
        None => Ok(Mailbox::new(
            Some(app_name.to_owned()),
            "no-reply@localhost"
                .parse()
                .map_err(|_| ConfigError::new(MAIL_FROM, "the default address is invalid"))?,
        )),
    }
}
