//! How an email leaves: over SMTP (lettre, TLS by rustls), into the log in dev without
//! `SMTP_URL`, or nowhere in prod without it.

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use secrecy::ExposeSecret;

use crate::{config::Config, models::OutboxRow};

pub enum Transport {
    Smtp {
        smtp: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// Dev mode without `SMTP_URL`: each email (to, subject, text with its link) goes to the
    /// log, so every flow works with nothing else installed.
    Log,
    /// Prod mode without `SMTP_URL` (allowed only with `REQUIRE_VERIFIED_EMAIL=false`): emails
    /// are given up, never logged, since their links are secrets.
    Off,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("cannot use SMTP_URL")]
    Url(#[source] lettre::transport::smtp::Error),
    #[error("the recipient {0:?} is not a valid address")]
    Recipient(String, #[source] lettre::address::AddressError),
    #[error("cannot build the email")]
    Build(#[source] lettre::error::Error),
    #[error("the SMTP server did not take the email")]
    Smtp(#[source] lettre::transport::smtp::Error),
    #[error("the delivery took longer than {0:?} (MAIL_SEND_TIMEOUT)")]
    TimedOut(std::time::Duration),
    #[error("SMTP_URL is not set: emails are not sent")]
    Off,
}

impl SendError {
    /// Whether trying again could succeed (a server that is down, busy or slow).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Smtp(e) => !e.is_permanent(),
            Self::TimedOut(_) => true,
            Self::Url(_) | Self::Recipient(..) | Self::Build(_) | Self::Off => false,
        }
    }
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Self, SendError> {
        let mail = &config.mail;
        let Some(url) = &mail.smtp_url else {
            return Ok(if config.is_dev() {
                Self::Log
            } else {
                Self::Off
            });
        };
        let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(SendError::Url)?
            .timeout(Some(mail.send_timeout))
            .build();
        Ok(Self::Smtp {
            smtp,
            from: mail.from.clone(),
        })
    }

    pub async fn send(&self, email: &OutboxRow) -> Result<(), SendError> {
        match self {
            Self::Smtp { smtp, from } => {
                let to: Mailbox = email
                    .to_address
                    .parse()
                    .map_err(|e| SendError::Recipient(email.to_address.clone(), e))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&email.subject)
                    .multipart(MultiPart::alternative_plain_html(
                        email.text_body.clone(),
                        email.html_body.clone(),
                    ))
                    .map_err(SendError::Build)?;
                smtp.send(message).await.map_err(SendError::Smtp)?;
                Ok(())
            }
            Self::Log => {
                tracing::info!(
                    to = %email.to_address,
                    subject = %email.subject,
                    "email to {} (dev mode without SMTP_URL: written here, not sent)\n\
                     Subject: {}\n\n{}",
                    email.to_address,
                    email.subject,
                    email.text_body
                );
                Ok(())
            }
            Self::Off => Err(SendError::Off),
        }
    }
}
