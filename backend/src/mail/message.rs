//! What each email says. One layout (`templates/email/layout.{html,txt}`, compiled by askama)
//! renders every email as a text and an HTML part; the wording of each is here.

use std::time::Duration;

use askama::Template;

use crate::{config::MailConfig, models::outbox::Outgoing};

/// An email to send, with what it needs to say.
#[derive(Debug, Clone, Copy)]
pub enum Message<'a> {
    /// Sent at sign-up and on request: the link that proves the address.
    VerifyEmail {
        token: &'a str,
        valid_for: Duration,
    },
    ResetPassword {
        token: &'a str,
        valid_for: Duration,
    },
    /// To the new address of an email change: the link that makes the change.
    ConfirmEmailChange {
        token: &'a str,
        new_email: &'a str,
        valid_for: Duration,
    },
    /// To the old address, when a change to `new_email` is asked for.
    EmailChangeRequested {
        new_email: &'a str,
    },
    /// To the old address, once the change is made.
    EmailChanged {
        new_email: &'a str,
    },
    PasswordChanged,
    /// A new API key: its name and prefix, never the key, and the organisation it spends for
    /// (`None`: the user's personal one).
    ApiKeyCreated {
        name: &'a str,
        prefix: &'a str,
        organization: Option<&'a str>,
    },
    /// To the invited address: the link that joins `organization` as `role`.
    Invitation {
        organization: &'a str,
        inviter: &'a str,
        role: &'a str,
        token: &'a str,
        valid_for: Duration,
    },
}

/// Renders messages with the product's name and links to where users reach it.
#[derive(Debug, Clone)]
pub struct Letterhead {
    app_name: String,
    link_base: String,
}

/// The parts of an email the layout lays out.
struct Content {
    app_name: String,
    subject: String,
    heading: String,
    paragraphs: Vec<String>,
    action: Option<Action>,
    footer: String,
}

/// The call to action: a link to a page of the SPA that posts the token.
struct Action {
    label: &'static str,
    url: String,
    expires_in: String,
}

#[derive(Template)]
#[template(path = "email/layout.html")]
struct Html<'a> {
    content: &'a Content,
}

#[derive(Template)]
#[template(path = "email/layout.txt")]
struct Text<'a> {
    content: &'a Content,
}

const IGNORE_IF_NOT_YOU: &str =
    "If you did not ask for this, you can ignore this email: nothing changes without the link.";

impl Letterhead {
    pub fn new(config: &MailConfig) -> Self {
        Self {
            app_name: config.app_name.clone(),
            link_base: config.link_base.clone(),
        }
    }

    /// `message` rendered for `to`, ready for the outbox.
    pub fn compose(&self, to: &str, message: Message) -> Result<Outgoing, askama::Error> {
        let content = self.content(message);
        Ok(Outgoing {
            kind: message.kind(),
            to: to.to_owned(),
            text: Text { content: &content }.render()?,
            html: Html { content: &content }.render()?,
            subject: content.subject,
        })
    }

    fn content(&self, message: Message) -> Content {
        let app = &self.app_name;
        let not_you = format!(
            "If this was not you, reset your password at once: {}/forgot-password",
            self.link_base
        );
        let (subject, heading, paragraphs, action, footer) = match message {
            Message::VerifyEmail { token, valid_for } => (
                format!("Verify your email for {app}"),
                "Confirm your email address".to_owned(),
                vec![format!(
                    "Welcome to {app}! Confirm that this address is yours to buy credits and \
                     create API keys."
                )],
                Some(self.action("Verify email", "verify-email", token, valid_for)),
                IGNORE_IF_NOT_YOU.to_owned(),
            ),
            Message::ResetPassword { token, valid_for } => (
                format!("Reset your {app} password"),
                "Reset your password".to_owned(),
                vec![
                    "Someone, hopefully you, asked to reset the password of your account."
                        .to_owned(),
                    "Choosing a new password signs you out everywhere.".to_owned(),
                ],
                Some(self.action("Choose a new password", "reset-password", token, valid_for)),
                IGNORE_IF_NOT_YOU.to_owned(),
            ),
            Message::ConfirmEmailChange {
                token,
                new_email,
                valid_for,
            } => (
                format!("Confirm your new email for {app}"),
                "Confirm your new email address".to_owned(),
                vec![format!(
                    "Follow the link to make {new_email} the address of your {app} account."
                )],
                Some(self.action("Confirm email change", "confirm-email", token, valid_for)),
                IGNORE_IF_NOT_YOU.to_owned(),
            ),
            Message::EmailChangeRequested { new_email } => (
                format!("Your {app} email is about to change"),
                "Email change requested".to_owned(),
                vec![format!(
                    "Someone signed in to your account asked to change its address to \
                     {new_email}. It changes only once the link sent there is followed."
                )],
                None,
                not_you,
            ),
            Message::EmailChanged { new_email } => (
                format!("Your {app} email was changed"),
                "Your email address was changed".to_owned(),
                vec![format!(
                    "Your account now signs in with {new_email}; this address no longer does."
                )],
                None,
                not_you,
            ),
            Message::PasswordChanged => (
                format!("Your {app} password was changed"),
                "Your password was changed".to_owned(),
                vec!["The password of your account was just changed.".to_owned()],
                None,
                not_you,
            ),
            Message::ApiKeyCreated {
                name,
                prefix,
                organization,
            } => (
                format!("A new API key was created on {app}"),
                "New API key".to_owned(),
                vec![format!(
                    "An API key named \"{name}\" ({prefix}...) was created with your account, \
                     for {}.",
                    organization.map_or("your personal organization".to_owned(), |o| {
                        format!("the organization {o}")
                    })
                )],
                None,
                format!(
                    "If this was not you, revoke it on the API keys page and reset your \
                     password: {}/forgot-password",
                    self.link_base
                ),
            ),
            Message::Invitation {
                organization,
                inviter,
                role,
                token,
                valid_for,
            } => (
                format!("{inviter} invited you to {organization} on {app}"),
                format!("Join {organization}"),
                vec![
                    format!(
                        "{inviter} invited you to join the organization \"{organization}\" on \
                         {app} as {role}: you will share its credits and API keys."
                    ),
                    "Sign in, or sign up with this email address, to accept.".to_owned(),
                ],
                Some(self.action("Accept invitation", "invite", token, valid_for)),
                "If you do not know the sender, ignore this email: nothing happens without the \
                 link."
                    .to_owned(),
            ),
        };
        Content {
            app_name: app.clone(),
            subject,
            heading,
            paragraphs,
            action,
            footer,
        }
    }

    fn action(&self, label: &'static str, page: &str, token: &str, valid_for: Duration) -> Action {
        Action {
            label,
            url: format!("{}/{page}?token={token}", self.link_base),
            expires_in: describe(valid_for),
        }
    }
}

impl Message<'_> {
    /// The email's name in the outbox and the logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::VerifyEmail { .. } => "verify_email",
            Self::ResetPassword { .. } => "reset_password",
            Self::ConfirmEmailChange { .. } => "confirm_email_change",
            Self::EmailChangeRequested { .. } => "email_change_requested",
            Self::EmailChanged { .. } => "email_changed",
            Self::PasswordChanged => "password_changed",
            Self::ApiKeyCreated { .. } => "api_key_created",
            Self::Invitation { .. } => "invitation",
        }
    }
}

/// "30 minutes", "1 hour", "24 hours", "7 days".
fn describe(d: Duration) -> String {
    let minutes = d.as_secs() / 60;
    let (n, unit) = if minutes.is_multiple_of(60 * 24) && minutes > 60 * 24 {
        (minutes / (60 * 24), "day")
    } else if minutes.is_multiple_of(60) {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letterhead() -> Letterhead {
        Letterhead {
            app_name: "Acme <API>".to_owned(),
            link_base: "https://app.example.com".to_owned(),
        }
    }

    #[test]
    fn a_link_email_has_both_parts_with_the_link_and_its_expiry() {
        let email = letterhead()
            .compose(
                "a@example.com",
                Message::ResetPassword {
                    token: "tok123",
                    valid_for: Duration::from_secs(1800),
                },
            )
            .expect("renders");
        let link = "https://app.example.com/reset-password?token=tok123";
        assert_eq!(email.kind, "reset_password");
        assert_eq!(email.subject, "Reset your Acme <API> password");
        for part in [&email.text, &email.html] {
            assert!(part.contains(link), "{part}");
            assert!(part.contains("expires in 30 minutes"), "{part}");
        }
        assert!(
            email.html.contains("Acme &#60;API&#62;") || email.html.contains("Acme &lt;API&gt;")
        );
        assert!(!email.html.contains("Acme <API>"), "HTML is escaped");
    }

    #[test]
    fn a_key_notice_names_the_key_by_its_prefix_only() {
        let email = letterhead()
            .compose(
                "a@example.com",
                Message::ApiKeyCreated {
                    name: "ci",
                    prefix: "sk_abc",
                    organization: Some("Acme"),
                },
            )
            .expect("renders");
        assert!(email.text.contains("\"ci\" (sk_abc...)"));
        assert!(email.text.contains("for the organization Acme."));
        assert!(!email.text.contains("expires"));
    }

    #[test]
    fn lifetimes_read_as_words() {
        assert_eq!(describe(Duration::from_secs(1800)), "30 minutes");
        assert_eq!(describe(Duration::from_secs(3600)), "1 hour");
        assert_eq!(describe(Duration::from_secs(86_400)), "24 hours");
        assert_eq!(describe(Duration::from_secs(7 * 86_400)), "7 days");
    }
}
