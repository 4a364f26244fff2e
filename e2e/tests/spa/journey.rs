//! A customer's first session, step by step: sign up, buy, spend, create a key, call the API
//! with it from a script, revoke it, reload, sign out.

use serde_json::Value;

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_signs_up_buys_spends_uses_a_key_and_signs_out() {
    run("customer", journey).await;
}

async fn journey(b: &mut Browser, server: &Server) -> Result {
    let http = reqwest::Client::new();

    // The landing page says what the product is and lists the packages from the API.
    b.goto(&server.url("/")).await?;
    b.wait_for("//h1[contains(., 'paid by the call')]").await?;
    b.wait_for("//*[@data-testid='pricing']/li[3]").await?;
    b.screenshot("landing").await?;

    // A keyboard user first meets the skip link, then the navigation, each visibly focused.
    let first = b.tab(1).await?;
    check(
        first == "Skip to content",
        format!("first Tab stop: {first:?}"),
    )?;
    let third = b.tab(2).await?;
    check(third == "Sign in", format!("third Tab stop: {third:?}"))?;
    b.screenshot("keyboard-focus").await?;

    // A signed-out visitor to a signed-in page is sent to sign in, and will come back.
    b.goto(&server.url("/dashboard")).await?;
    b.wait_for_path("/login").await?;
    let here = b.location().await?;
    check(
        here == "/login?next=%2Fdashboard",
        format!("redirected to {here}"),
    )?;
    b.wait_for("//h1[normalize-space()='Sign in to your account']")
        .await?;
    b.screenshot("redirected-to-sign-in").await?;

    // The form checks input with the shared rules before sending anything.
    b.follow("Create an account").await?;
    b.wait_for_path("/signup").await?;
    b.fill("Email", "not-an-email").await?;
    b.fill("Password", "short").await?;
    b.press("Sign up").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'at least 8 characters')]")
        .await?;
    b.screenshot("sign-up-refused").await?;

    // Sign up: back to the dashboard it was sent away from, with 0 credits.
    b.fill("Email", "ada@example.com").await?;
    b.fill("Password", "correct horse battery").await?;
    b.press("Sign up").await?;
    b.wait_for_path("/dashboard").await?;
    b.wait_for_testid_text("credit-balance", "0").await?;
    b.wait_for("//header//button[normalize-space()='Sign out']")
        .await?;
    b.screenshot("signed-up-dashboard").await?;

    // Buy the first package (dev payments credit at once).
    b.press("Buy").await?;
    b.wait_for_testid_text("credit-balance", "100").await?;
    b.wait_for_testid_text("nav-balance", "100").await?;
    b.wait_for("//*[@data-testid='ledger']//td[normalize-space()='+100']")
        .await?;
    b.screenshot("bought-credits").await?;

    // Generate until the balance drops by one.
    b.fill("Prompt", "A tagline for a bakery").await?;
    b.press("Generate").await?;
    b.wait_for("//*[@data-testid='generated-text' and string-length(normalize-space()) > 0]")
        .await?;
    b.wait_for_testid_text("credit-balance", "99").await?;
    b.wait_for("//*[@data-testid='usage-spent' and normalize-space()='1']")
        .await?;
    b.screenshot("generated-text").await?;

    // The dashboard on a phone.
    b.resize(375, 812).await?;
    b.wait_for_testid_text("credit-balance", "99").await?;
    b.scroll_to_top().await?;
    let too_wide = b.overflowing().await?;
    check(
        too_wide.is_empty(),
        format!("at 375 px these stick out: {too_wide:?}"),
    )?;
    b.screenshot("dashboard-375px").await?;
    b.resize(1280, 800).await?;

    // Create an API key and read it from the page, with its curl line for this origin.
    b.follow("API keys").await?;
    b.wait_for_path("/keys").await?;
    b.fill("Key name", "nightly script").await?;
    b.press("Create key").await?;
    let key = b.testid_text("new-api-key").await?;
    check(key.len() >= 20, format!("the key shown is {key:?}"))?;
    let curl = b.testid_text("curl-command").await?;
    check(
        curl.contains(&format!("{}/api/generate-text", server.origin)) && curl.contains(&key),
        format!("the curl line is {curl:?}"),
    )?;
    b.wait_for("//*[@data-testid='key-row']//p[normalize-space()='nightly script']")
        .await?;
    b.screenshot("key-created").await?;

    // A script calls the paid route with that key.
    let response = http
        .post(server.url("/api/generate-text"))
        .header("X-API-Key", &key)
        .json(&serde_json::json!({ "prompt": "from a script" }))
        .send()
        .await
        .map_err(|e| format!("paid call with the key: {e}"))?;
    check(
        response.status() == 200,
        format!("paid call with the key answered {}", response.status()),
    )?;
    let body: Value = response.json().await.map_err(|e| e.to_string())?;
    check(body["credits"] == 98, format!("paid call answered {body}"))?;

    // The page shows the new balance after a reload (the session survives it).
    b.follow("Dashboard").await?;
    b.wait_for_path("/dashboard").await?;
    b.reload().await?;
    b.wait_for_testid_text("credit-balance", "98").await?;
    b.screenshot("balance-after-key-call").await?;

    // The key list shows when it was used; revoke it, with confirmation.
    b.follow("API keys").await?;
    b.wait_for("//*[@data-testid='key-row']//span[starts-with(normalize-space(), 'Last used') and not(contains(., 'never'))]")
        .await?;
    b.press("Revoke").await?;
    b.wait_for("//button[normalize-space()='Yes, revoke']")
        .await?;
    b.screenshot("revoke-confirmation").await?;
    b.press("Yes, revoke").await?;
    b.wait_for("//p[contains(., 'No keys yet')]").await?;
    let status = http
        .get(server.url("/api/credits"))
        .header("X-API-Key", &key)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .status();
    check(status == 401, format!("a revoked key answered {status}"))?;
    b.screenshot("key-revoked").await?;

    // A reload keeps the session.
    b.reload().await?;
    b.wait_for("//h1[normalize-space()='API keys']").await?;
    b.wait_for("//header//button[normalize-space()='Sign out']")
        .await?;
    check(
        b.location().await? == "/keys",
        "still on /keys after the reload",
    )?;
    b.screenshot("reloaded-still-signed-in").await?;

    // Sign out: to the sign-in page, and signed-in pages send there again.
    b.press("Sign out").await?;
    b.wait_for_path("/login").await?;
    b.wait_for("//header//a[normalize-space()='Sign in']")
        .await?;
    b.screenshot("signed-out").await?;
    b.goto(&server.url("/keys")).await?;
    b.wait_for_path("/login").await?;
    b.wait_for("//h1[normalize-space()='Sign in to your account']")
        .await?;

    // Signing in again comes back to the page asked for.
    b.fill("Email", "ada@example.com").await?;
    b.fill("Password", "correct horse battery").await?;
    b.press("Sign in").await?;
    b.wait_for_path("/keys").await?;

    // An unknown path is the 404 page, not a blank screen.
    b.goto(&server.url("/no-such-page")).await?;
    b.wait_for("//h1[normalize-space()='Page not found']")
        .await?;
    b.screenshot("not-found").await?;
    Ok(())
}
