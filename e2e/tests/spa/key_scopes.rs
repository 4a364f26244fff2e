//! A key made for one job: read-only, expiring in a week. The form's scopes and expiry reach the
//! API, the list shows both (the expiry as a warning in its last week), and the key does what its
//! scope allows and nothing else.

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
    sign_in,
};

const CUSTOMER: (&str, &str) = ("dana@example.com", "dana's password");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_key_expiring_in_a_week_reads_but_cannot_spend() {
    run("key-scopes", read_only_key).await;
}

async fn read_only_key(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;

    b.follow("API keys").await?;
    b.wait_for_path("/keys").await?;
    b.fill("Key name", "dashboard reader").await?;
    // Both scopes start checked: leave only reading.
    b.click("//label[starts-with(normalize-space(), 'paid:call')]")
        .await?;
    b.choose("Expires", "In 7 days").await?;
    b.screenshot("form").await?;
    b.press("Create key").await?;
    let key = b.testid_text("new-api-key").await?;
    // The ready-made command is one the key may run.
    let curl = b.testid_text("curl-command").await?;
    check(
        curl.contains("/api/credits") && !curl.contains("generate-text"),
        format!("the curl line is {curl:?}"),
    )?;
    let row = "//*[@data-testid='key-row'][.//p[normalize-space()='dashboard reader']]";
    b.wait_for(&format!("{row}//span[normalize-space()='credits:read']"))
        .await?;
    b.wait_for(&format!(
        "{row}//*[@data-testid='key-expiry'][starts-with(normalize-space(), 'Expires in 7 days')]"
    ))
    .await?;
    b.screenshot("listed").await?;

    let http = reqwest::Client::new();
    let read = http
        .get(server.url("/api/credits"))
        .header("X-API-Key", &key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    check(
        read.status() == 200,
        format!("reading answered {}", read.status()),
    )?;
    let spend = http
        .post(server.url("/api/generate-text"))
        .header("X-API-Key", &key)
        .json(&serde_json::json!({ "prompt": "not allowed" }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    check(
        spend.status() == 403,
        format!("spending answered {}", spend.status()),
    )?;
    let body: serde_json::Value = spend.json().await.map_err(|e| e.to_string())?;
    check(
        body["error"]["code"] == "insufficient_scope",
        format!("spending answered {body}"),
    )?;
    Ok(())
}
