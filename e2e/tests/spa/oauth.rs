//! Signing in through an identity provider, as a customer would: "Continue with Local ID" on the
//! sign-in page, the provider's own login and consent pages (a real OpenID provider, npm
//! `oidc-provider`), and the dashboard; then the account page shows the provider, will not unlink
//! the only way in, and sets a first password.

use crate::{
    browser::{Browser, Result},
    check, run_on,
    server::Server,
};

const EMAIL: &str = "erin@example.com";
const PASSWORD: &str = "erin's first password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn continue_with_a_provider_ends_on_the_dashboard() {
    run_on("oauth", Server::start_with_provider, continue_with_provider).await;
}

async fn continue_with_provider(b: &mut Browser, server: &Server) -> Result {
    b.goto(&server.url("/login")).await?;
    b.wait_for("//a[normalize-space()='Continue with Local ID']")
        .await?;
    b.check_accessibility().await?;
    b.screenshot("sign-in-with-provider").await?;
    b.follow("Continue with Local ID").await?;

    // The provider's pages (its markup, not ours).
    type_into(b, "//input[@name='login']", EMAIL).await?;
    type_into(b, "//input[@name='password']", "anything").await?;
    b.screenshot("provider-login").await?;
    b.click("//button[@type='submit']").await?;
    b.click("//button[normalize-space()='Continue']").await?;

    b.wait_for_path("/dashboard").await?;
    b.wait_for(&format!("//*[contains(., '{EMAIL}')]")).await?;
    b.screenshot("dashboard").await?;

    b.follow("Account").await?;
    b.wait_for_path("/account").await?;
    b.wait_for(&format!(
        "//*[@data-testid='identities']/li[contains(., 'Local ID · {EMAIL}')]"
    ))
    .await?;
    check(
        b.count("//button[normalize-space()='Unlink Local ID' and @disabled]")
            .await?
            == 1,
        "the only way to sign in cannot be unlinked",
    )?;
    b.check_accessibility().await?;
    b.screenshot("account-with-provider").await?;

    // A first password: then the provider may go.
    b.fill("New password", PASSWORD).await?;
    b.fill("Confirm new password", PASSWORD).await?;
    b.press("Set password").await?;
    b.wait_for("//button[normalize-space()='Unlink Local ID' and not(@disabled)]")
        .await?;
    b.press("Unlink Local ID").await?;
    b.wait_for("//button[normalize-space()='Link Local ID']")
        .await?;
    b.screenshot("unlinked").await
}

async fn type_into(b: &Browser, xpath: &str, text: &str) -> Result {
    b.wait_for(xpath)
        .await?
        .send_keys(text)
        .await
        .map_err(|e| format!("type into {xpath}: {e}"))
}
