//! Transactional email. A route renders a [`Message`] with the [`Letterhead`] and writes it to
//! the outbox (`models::OutboxRow`) in the same transaction as the change it reports, then wakes
//! the [`sender`] every replica runs, which delivers it over SMTP (or, in dev without
//! `SMTP_URL`, into the log). A request never waits for SMTP; an email committed is never lost.

mod message;
mod queue;
pub mod sender;
mod transport;

use std::sync::Arc;

use tokio::sync::Notify;

pub use message::{Letterhead, Message};
pub use queue::{create_account, queue, queue_link, queue_link_if_due};
pub use transport::{SendError, Transport};

use crate::{config::Config, db::Db};

/// What routes need of email: the letterhead to render with, and the sender's doorbell.
pub struct Mail {
    pub letterhead: Arc<Letterhead>,
    /// Whether buying credits and creating API keys need a verified address.
    pub require_verified_email: bool,
    wake: Arc<Notify>,
}

impl Mail {
    /// Starts this replica's sender on `db` and returns its handle.
    pub fn start(config: &Config, db: Db) -> Result<Self, SendError> {
        let transport = Transport::from_config(config)?;
        let wake = Arc::new(Notify::new());
        tokio::spawn(sender::run(
            db,
            transport,
            Arc::clone(&wake),
            config.mail.send_timeout,
        ));
        Ok(Self {
            letterhead: Arc::new(Letterhead::new(&config.mail)),
            require_verified_email: config.mail.require_verified_email,
            wake,
        })
    }

    /// Tells the sender an email was just committed, so it goes out now rather than at the next
    /// poll.
    pub fn wake_sender(&self) {
        self.wake.notify_one();
    }
}
