//! A key made for one job: read-only, expiring in a week. The form's scopes and expiry reach the
//! API, the list shows both (the expiry as a warning in its last week), and the key does what its
//! scope allows and nothing else. Rotated at once, its old secret stops and the new one reads.

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
    sign_in,
};

const CUSTOMER: (&str, &str) = ("dana@example.com", "dana's password");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_key_expiring_in_a_week_reads_cannot_spend_and_rotates() {
    run("key-scopes", read_only_key).await;
}

async fn read_only_key(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;

    b.follow("API keys").await?;
    b.wait_for_path("/keys").await?;
    b.fill("Key name", "dashboard reader").await?;
    // Every scope starts checked: leave only reading credits.
    for scope in ["paid:call", "tasks:read", "tasks:write"] {
        b.click(&format!(
            "//label[starts-with(normalize-space(), '{scope}')]"
        ))
        .await?;
    }
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
    // What reading the balance with `key` answers.
    let status =
        |key: String| async move { server.status_with_key("/api/credits", &key, None).await };
    let read = status(key.clone()).await?;
    check(read == 200, format!("reading answered {read}"))?;
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

    // Rotate, the old secret stopping at once: the new one is shown, the old one refused.
    b.click(&format!("{row}//button[normalize-space()='Rotate']"))
        .await?;
    b.choose("Old key works", "Not at all").await?;
    b.screenshot("rotate").await?;
    b.press("Yes, rotate").await?;
    b.wait_for(&format!(
        "//*[@data-testid='new-api-key'][normalize-space()!='{key}']"
    ))
    .await?;
    let rotated = b.testid_text("new-api-key").await?;
    let old = status(key.clone()).await?;
    check(old == 401, format!("the old secret answered {old}"))?;
    let new = status(rotated).await?;
    check(new == 200, format!("the new secret answered {new}"))?;
    b.screenshot("rotated").await?;
    Ok(())
}
