//! Sign up, see the banner, ask too soon for another email, follow the link from MailDev: the
//! address is verified and the banner gone.

use super::{BANNER, VERIFY_SUBJECT, follow_link};
use crate::{
    browser::{Browser, Result},
    check, run_with_mail,
    server::Server,
};

const CUSTOMER: (&str, &str) = ("grace@example.com", "grace's password 1");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_account_follows_its_verification_link_and_the_banner_goes() {
    run_with_mail("verify-email", verification).await;
}

async fn verification(b: &mut Browser, server: &Server) -> Result {
    b.goto(&server.url("/signup")).await?;
    b.fill("Email", CUSTOMER.0).await?;
    b.fill("Password", CUSTOMER.1).await?;
    b.press("Sign up").await?;
    b.wait_for_path("/dashboard").await?;
    b.wait_for(&format!("{BANNER}[contains(., '{}')]", CUSTOMER.0))
        .await?;
    b.check_accessibility().await?;
    b.screenshot("banner").await?;
    b.resize(375, 812).await?;
    let too_wide = b.overflowing().await?;
    check(
        too_wide.is_empty(),
        format!("at 375 px these stick out: {too_wide:?}"),
    )?;
    b.screenshot("banner-375px").await?;
    b.resize(1280, 800).await?;

    // The sign-up email went a moment ago: another one has to wait a minute.
    b.press("Resend email").await?;
    b.wait_for("//*[@data-testid='resend-outcome' and contains(., 'retry in')]")
        .await?;
    b.screenshot("resend-too-soon").await?;

    // Dismissed, the banner stays away while the app runs.
    b.click(&format!("{BANNER}//button[@aria-label='Dismiss']"))
        .await?;
    b.follow("Account").await?;
    b.wait_for("//*[@data-testid='email-status' and normalize-space()='not verified']")
        .await?;
    check(b.count(BANNER).await? == 0, "the banner came back")?;

    // The link from the email: the token leaves the address bar, the address is verified.
    let verified =
        "//*[@data-testid='link-outcome' and normalize-space()='Your email is verified.']";
    let email = (CUSTOMER.0, VERIFY_SUBJECT);
    let link = follow_link(b, server, email, "verify-email", verified).await?;
    b.check_accessibility().await?;
    b.screenshot("verified").await?;

    b.follow("Go to the dashboard").await?;
    b.wait_for_path("/dashboard").await?;
    b.wait_for_testid_text("credit-balance", "0").await?;
    check(b.count(BANNER).await? == 0, "the banner is still there")?;
    b.screenshot("no-banner").await?;
    b.follow("Account").await?;
    b.wait_for("//*[@data-testid='email-status' and normalize-space()='verified']")
        .await?;

    // The same link again: used, but the address is verified all the same.
    b.goto(&link).await?;
    b.wait_for("//*[@data-testid='link-outcome' and contains(., 'verified already')]")
        .await?;
    b.screenshot("link-used-again").await?;
    Ok(())
}
