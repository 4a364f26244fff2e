//! The emailed links, followed in the browser: the server sends to MailDev, the test reads the
//! message from its inbox and opens the link as the recipient would.

mod change;
mod reset;
mod verification;

use test_support::{Email, MailDev};

use crate::{
    browser::{Browser, Result},
    check,
    server::Server,
};

/// Words of the subjects (backend/src/mail/message.rs).
const VERIFY_SUBJECT: &str = "Verify your email";
const RESET_SUBJECT: &str = "Reset your";
const CHANGE_SUBJECT: &str = "Confirm your new email";

/// Opens the link to `page` in the first email to `to` about `subject`, as its recipient would,
/// waits for `shown` on the page, and checks that the token left the address bar. Returns the
/// link, to follow again.
async fn follow_link(
    b: &Browser,
    server: &Server,
    (to, subject): (&str, &str),
    page: &str,
    shown: &str,
) -> Result<String> {
    let email = MailDev::shared().wait_for(to, subject).await;
    let link = link_to(&email, server, page)?;
    b.goto(&link).await?;
    b.wait_for(shown).await?;
    let here = b.location().await?;
    check(
        here == format!("/{page}"),
        format!("the address bar shows {here}"),
    )?;
    Ok(link)
}

/// The link to `page` in the email's text, checked to point at this server.
fn link_to(email: &Email, server: &Server, page: &str) -> Result<String> {
    let link = format!("{}/{page}?token={}", server.origin, email.token_for(page));
    check(
        email.text.contains(&link),
        format!("no link {link} in the email: {}", email.text),
    )?;
    Ok(link)
}

/// The verification banner's XPath.
const BANNER: &str = "//section[@data-testid='verify-banner']";
