//! A team, end to end: the owner makes an organisation, buys its credits and invites a
//! teammate; the teammate reads the email (MailDev), signs up through the link, joins, sees the
//! shared balance and spends from it; the owner removes them, and their next request is refused.

use test_support::MailDev;

use crate::{
    browser::{Browser, Result},
    check, run_with_mail,
    server::Server,
};

const OWNER: (&str, &str) = ("olivia@example.com", "olivia's password 1");
const TEAMMATE: (&str, &str) = ("tom@example.com", "tom's password 1");
/// Words of the invitation's subject (backend/src/mail/message.rs).
const INVITATION_SUBJECT: &str = "invited you to";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_invites_a_teammate_who_spends_the_shared_balance_until_removed() {
    run_with_mail("team", team).await;
}

async fn team(b: &mut Browser, server: &Server) -> Result {
    // The owner signs up, makes a team (it becomes the active organisation) and buys credits.
    b.goto(&server.url("/signup")).await?;
    b.fill("Email", OWNER.0).await?;
    b.fill("Password", OWNER.1).await?;
    b.press("Sign up").await?;
    b.wait_for_path("/dashboard").await?;
    b.goto(&server.url("/org")).await?;
    b.fill("Organization name", "Acme").await?;
    b.press("Create organization").await?;
    b.wait_for_testid_text("page-context", "Acme · owner")
        .await?;
    // The switcher in the navigation shows the organisation acted in.
    b.wait_for("//select[@id='org-switcher']/option[@selected or normalize-space()='Acme']")
        .await?;
    let shown = b.selected_text("Organization").await?;
    check(shown == "Acme", format!("the switcher shows {shown:?}"))?;
    b.follow("Dashboard").await?;
    b.wait_for_path("/dashboard").await?;
    b.press("Buy").await?;
    b.wait_for("//*[@data-testid='credit-balance' and normalize-space()!='0']")
        .await?;
    let balance = b.testid_text("credit-balance").await?;

    // The invitation, by email with a role.
    b.follow("Organization").await?;
    b.wait_for_path("/org").await?;
    b.fill("Email", TEAMMATE.0).await?;
    b.choose("Role", "developer").await?;
    b.press("Invite").await?;
    b.wait_for(&format!(
        "//*[@data-testid='invitation-row' and contains(., '{}')]",
        TEAMMATE.0
    ))
    .await?;
    b.check_accessibility().await?;
    b.screenshot("owner-invited").await?;

    // The teammate, in a browser of their own, follows the link and signs up through it.
    let email = MailDev::shared()
        .wait_for(TEAMMATE.0, INVITATION_SUBJECT)
        .await;
    let link = format!(
        "{}/invite?token={}",
        server.origin,
        email.token_for("invite")
    );
    check(
        email.text.contains(&link),
        format!("no link {link} in {}", email.text),
    )?;
    let mut t = Browser::launch(b.artifacts().join("teammate")).await;
    let outcome = together(b, &mut t, &link, &balance).await;
    if outcome.is_err() {
        let _ = t.save(&b.artifacts().join("teammate-failure.png")).await;
    }
    t.close().await;
    outcome
}

/// The teammate joins and spends; the owner removes them; their next request is refused.
async fn together(b: &mut Browser, t: &mut Browser, link: &str, balance: &str) -> Result {
    teammate(t, link, balance).await?;

    // The owner removes them.
    b.reload().await?;
    b.wait_for(&format!(
        "//*[@data-testid='member-row' and contains(., '{}')]",
        TEAMMATE.0
    ))
    .await?;
    b.click(&format!(
        "//*[@data-testid='member-row' and contains(., '{}')]//button[normalize-space()='Remove']",
        TEAMMATE.0
    ))
    .await?;
    b.wait_for(&format!(
        "//*[@data-testid='members' and not(contains(., '{}'))]",
        TEAMMATE.0
    ))
    .await?;
    b.screenshot("owner-removed-teammate").await?;

    // The teammate's next call is refused in the team: the app lands in their personal
    // organisation, which has no credits.
    t.fill("Prompt", "one more").await?;
    t.press("Generate").await?;
    t.wait_for_testid_text("page-context", "Personal · owner")
        .await?;
    t.wait_for_testid_text("credit-balance", "0").await?;
    t.screenshot("teammate-removed").await?;
    Ok(())
}

/// The teammate's side, up to spending one credit of the team's.
async fn teammate(t: &mut Browser, link: &str, balance: &str) -> Result {
    t.goto(link).await?;
    // The page's own link (it comes back here), not the navigation's.
    t.click("//main//a[normalize-space()='Sign up']").await?;
    t.wait_for_path("/signup").await?;
    t.fill("Email", TEAMMATE.0).await?;
    t.fill("Password", TEAMMATE.1).await?;
    t.press("Sign up").await?;
    t.wait_for_path("/invite").await?;
    t.press("Accept invitation").await?;
    t.wait_for_path("/dashboard").await?;
    t.wait_for_testid_text("page-context", "Acme · developer")
        .await?;
    t.wait_for_testid_text("credit-balance", balance).await?;
    t.check_accessibility().await?;
    t.screenshot("teammate-joined").await?;

    t.fill("Prompt", "hello from the team").await?;
    t.press("Generate").await?;
    let spent = (balance.parse::<i64>().map_err(|e| e.to_string())? - 1).to_string();
    t.wait_for_testid_text("credit-balance", &spent).await?;
    t.screenshot("teammate-spent").await?;
    Ok(())
}
