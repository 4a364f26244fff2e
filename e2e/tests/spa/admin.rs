//! An admin's session: the admin page (grant credits to a user and to a team, disable an
//! account), then the account page (change password and stay signed in, sign out everywhere).

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
    sign_in,
};

const ADMIN: (&str, &str) = ("admin@example.com", "admin password 1");
const CUSTOMER: (&str, &str) = ("bob@example.com", "bob's password");
const TEAM: &str = "Bob's team";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_grants_credits_disables_a_user_and_changes_password() {
    run("admin", admin_session).await;
}

async fn admin_session(b: &mut Browser, server: &Server) -> Result {
    let http = reqwest::Client::new();
    server.create_admin(ADMIN.0, ADMIN.1).await;
    let customer = server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    let team = serde_json::json!({ "name": TEAM });
    server
        .post("/api/orgs", Some(&customer.access_token), team)
        .await?;

    // Sign in as the admin: the navigation offers the admin page.
    sign_in(b, server, ADMIN.0, ADMIN.1).await?;
    b.follow("Admin").await?;
    b.wait_for_path("/admin").await?;
    let bob = format!(
        "//*[@data-testid='admin-user-row'][.//span[normalize-space()='{}']]",
        CUSTOMER.0
    );
    b.wait_for(&bob).await?;

    // Grant credits to the customer: the form checks its input first.
    b.click(&format!("{bob}//button[normalize-space()='Grant credits']"))
        .await?;
    b.fill("Amount", "fifty").await?;
    b.press("Grant").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'whole number')]")
        .await?;
    grant(b, "50", "welcome gift").await?;
    b.wait_for(&format!("{bob}//span[normalize-space()='50 credits']"))
        .await?;
    // The organisation list shows it too, on the customer's personal organisation...
    let personal = format!(
        "//*[@data-testid='admin-org-row'][.//span[normalize-space()='owner {}']][.//span[normalize-space()='personal']]",
        CUSTOMER.0
    );
    b.wait_for(&format!("{personal}//span[normalize-space()='50 credits']"))
        .await?;
    // ...and credits granted to their team land in the team's wallet.
    let team = format!("//*[@data-testid='admin-org-row'][.//span[normalize-space()=\"{TEAM}\"]]");
    b.click(&format!(
        "{team}//button[normalize-space()='Grant credits']"
    ))
    .await?;
    grant(b, "20", "pilot").await?;
    b.wait_for(&format!("{team}//span[normalize-space()='20 credits']"))
        .await?;
    b.wait_for(&format!("{personal}//span[normalize-space()='50 credits']"))
        .await?;

    // Disable the account: its sign-in is refused from then on.
    b.click(&format!("{bob}//button[normalize-space()='Disable']"))
        .await?;
    b.wait_for(&format!("{bob}//span[normalize-space()='disabled']"))
        .await?;
    b.screenshot("admin-users").await?;
    let login = http
        .post(server.url("/api/auth/login"))
        .json(&serde_json::json!({ "email": CUSTOMER.0, "password": CUSTOMER.1 }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    check(
        login.status() == 403,
        format!("disabled sign-in: {}", login.status()),
    )?;

    // Change password: a wrong current password is refused next to its field...
    b.follow("Account").await?;
    b.wait_for_path("/account").await?;
    b.fill("Current password", "not my password").await?;
    b.fill("New password", "a brand new password").await?;
    b.fill("Confirm new password", "a brand new password")
        .await?;
    b.press("Change password").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'current password')]")
        .await?;
    b.screenshot("wrong-current-password").await?;
    // ...the right one works, and the session goes on (through a refresh), even after a reload.
    b.fill("Current password", ADMIN.1).await?;
    b.press("Change password").await?;
    b.wait_for("//*[@role='status' and contains(., 'Password changed')]")
        .await?;
    b.screenshot("password-changed").await?;
    b.reload().await?;
    b.wait_for("//h1[normalize-space()='Account']").await?;
    b.wait_for("//header//button[normalize-space()='Sign out']")
        .await?;

    // Sign out everywhere: back to sign in, and the old password no longer works.
    b.press("Sign out everywhere").await?;
    b.wait_for("//header//a[normalize-space()='Sign in']")
        .await?;
    let here = b.location().await?;
    check(
        here == "/login",
        format!("signed out to {here}, not /login"),
    )?;
    b.screenshot("signed-out-everywhere").await?;
    let old = http
        .post(server.url("/api/auth/login"))
        .json(&serde_json::json!({ "email": ADMIN.0, "password": ADMIN.1 }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    check(
        old.status() == 401,
        format!("old password sign-in: {}", old.status()),
    )?;
    Ok(())
}

/// Fills the one grant form open and sends it; the caller waits for the row's new balance.
async fn grant(b: &Browser, amount: &str, reason: &str) -> Result {
    b.fill("Amount", amount).await?;
    b.fill("Reason", reason).await?;
    b.press("Grant").await
}
