//! The email flows over a real SMTP server (MailDev): verification, password reset, email
//! change, security notices, and the outbox's delivery guarantees.

mod change;
mod delivery;
mod notices;
mod reset;
mod verification;
