//! A forgotten password: from the sign-in page to the link in MailDev, a new password, and a
//! sign-in with it while the old one is refused.

use super::{BANNER, RESET_SUBJECT, follow_link};
use crate::{
    browser::{Browser, Result},
    check, run_with_mail,
    server::Server,
};

const EMAIL: &str = "hedy@example.com";
const OLD_PASSWORD: &str = "hedy's old password";
const NEW_PASSWORD: &str = "hedy's new password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_from_the_emailed_link() {
    run_with_mail("reset-password", reset).await;
}

async fn reset(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(EMAIL, OLD_PASSWORD).await?;

    b.goto(&server.url("/login")).await?;
    b.follow("Forgot your password?").await?;
    b.wait_for_path("/forgot-password").await?;
    b.check_accessibility().await?;
    b.screenshot("forgot-password").await?;
    b.fill("Email", EMAIL).await?;
    b.press("Send reset link").await?;
    b.wait_for("//*[@data-testid='reset-link-sent' and contains(., 'on its way')]")
        .await?;
    b.check_accessibility().await?;
    b.screenshot("reset-link-sent").await?;

    // The link from the email opens the form; the token leaves the address bar.
    let form = "//h1[normalize-space()='Set a new password']";
    let link = follow_link(b, server, (EMAIL, RESET_SUBJECT), "reset-password", form).await?;
    b.check_accessibility().await?;

    // The password policy is checked before anything is sent.
    b.fill("New password", "short").await?;
    b.fill("Confirm new password", "short").await?;
    b.press("Set new password").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'at least 8 characters')]")
        .await?;
    b.screenshot("new-password-refused").await?;

    b.fill("New password", NEW_PASSWORD).await?;
    b.fill("Confirm new password", NEW_PASSWORD).await?;
    b.press("Set new password").await?;
    b.wait_for("//*[@data-testid='password-set']").await?;
    b.check_accessibility().await?;
    b.screenshot("password-set").await?;

    // The old password is refused, the new one signs in (and the address counts as verified).
    b.follow("Sign in").await?;
    b.wait_for_path("/login").await?;
    b.fill("Email", EMAIL).await?;
    b.fill("Password", OLD_PASSWORD).await?;
    b.press("Sign in").await?;
    b.wait_for("//*[@role='alert' and normalize-space()='Invalid email or password']")
        .await?;
    b.screenshot("old-password-refused").await?;
    b.fill("Password", NEW_PASSWORD).await?;
    b.press("Sign in").await?;
    b.wait_for_path("/dashboard").await?;
    b.wait_for_testid_text("credit-balance", "0").await?;
    check(
        b.count(BANNER).await? == 0,
        "a reset address is verified, yet the banner shows",
    )?;
    b.screenshot("signed-in-with-new-password").await?;

    // The link works once.
    b.goto(&link).await?;
    b.fill("New password", "a third password").await?;
    b.fill("Confirm new password", "a third password").await?;
    b.press("Set new password").await?;
    b.wait_for("//*[@role='alert' and contains(., 'invalid or has expired')]")
        .await?;
    b.screenshot("link-used-again").await
}
