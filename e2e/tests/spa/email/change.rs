//! Changing the address from the account page: the link sent to the new address makes the
//! change; a link to an address someone took meanwhile says so.

use test_support::MailDev;

use super::{CHANGE_SUBJECT, follow_link};
use crate::{
    browser::{Browser, Result},
    check, run_with_mail,
    server::Server,
    sign_in,
};

const CUSTOMER: (&str, &str) = ("ida@example.com", "ida's password 1");
const NEW_EMAIL: &str = "ida.new@example.com";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_address_changes_once_the_link_sent_to_it_is_followed() {
    run_with_mail("change-email", change).await;
}

async fn change(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;
    b.follow("Account").await?;
    b.wait_for_path("/account").await?;

    // The password is asked for, and a wrong one lands next to its field.
    b.fill("New email", NEW_EMAIL).await?;
    b.fill("Your password", "not my password").await?;
    b.press("Change email").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'password is not right')]")
        .await?;
    b.fill("Your password", CUSTOMER.1).await?;
    b.press("Change email").await?;
    b.wait_for(&format!(
        "//*[@data-testid='change-email-sent' and contains(., '{NEW_EMAIL}')]"
    ))
    .await?;
    b.check_accessibility().await?;
    b.screenshot_at("change-email-sent", "//section[@id='email']")
        .await?;

    let changed = "//*[@data-testid='link-outcome' and contains(., 'address is changed')]";
    let email = (NEW_EMAIL, CHANGE_SUBJECT);
    follow_link(b, server, email, "confirm-email", changed).await?;
    b.check_accessibility().await?;
    b.screenshot("email-changed").await?;
    b.follow("Go to your account").await?;
    b.wait_for(&format!(
        "//section[@id='profile']//dd[contains(., '{NEW_EMAIL}')]"
    ))
    .await?;
    b.screenshot("account-shows-new-email").await?;
    taken_meanwhile(b, server).await
}

/// Another account asks for an address that someone signs up with before the link is followed:
/// 409 at confirmation, explained.
async fn taken_meanwhile(b: &mut Browser, server: &Server) -> Result {
    const TAKEN: &str = "taken@example.com";
    let token = server
        .sign_up("joan@example.com", "joan's password 1")
        .await?
        .access_token;
    let asked = reqwest::Client::new()
        .post(server.url("/api/me/email"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "new_email": TAKEN, "current_password": "joan's password 1" }))
        .send()
        .await
        .map_err(|e| format!("change of address: {e}"))?;
    check(
        asked.status() == 202,
        format!("the change was answered {}", asked.status()),
    )?;
    MailDev::shared().wait_for(TAKEN, CHANGE_SUBJECT).await;
    server.sign_up(TAKEN, "a password of the taker").await?;

    let explained = "//*[@role='alert' and contains(., 'Another account uses this address now')]";
    follow_link(
        b,
        server,
        (TAKEN, CHANGE_SUBJECT),
        "confirm-email",
        explained,
    )
    .await?;
    b.check_accessibility().await?;
    b.screenshot("address-taken-meanwhile").await
}
