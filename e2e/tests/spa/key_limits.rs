//! The journey of a limited key: made in the form with a daily limit, spent up to it from a
//! script, refused past it (the list shows the count), rotated with an hour's grace, the new
//! secret working at once, and the old one refused once the hour has passed. And a key with a
//! rate limit of its own: listed with it and today's spend, its usage charted on its own on the
//! dashboard.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
    sign_in,
};

const CUSTOMER: (&str, &str) = ("erin@example.com", "erin's password");
const SCRIPTER: (&str, &str) = ("finn@example.com", "finn's password");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limited_key_is_refused_past_its_limit_and_rotated_with_a_grace_period() {
    run("key-limits", limited_key).await;
}

async fn limited_key(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    server.grant(CUSTOMER.0, 50).await;
    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;
    b.follow("API keys").await?;
    b.wait_for_path("/keys").await?;
    b.fill("Key name", "batch job").await?;
    b.fill("Daily limit", "2").await?;
    b.press("Create key").await?;
    let key = b.testid_text("new-api-key").await?;

    // The script spends up to the limit, then is refused with the reset time.
    let call = |key: String| async move {
        let body = json!({ "prompt": "batch" });
        server
            .status_with_key("/api/generate-text", &key, Some(body))
            .await
    };
    let read =
        |key: String| async move { server.status_with_key("/api/credits", &key, None).await };
    for _ in 0..2 {
        let status = call(key.clone()).await?;
        check(
            status == StatusCode::OK,
            format!("within the limit: {status}"),
        )?;
    }
    let spent_on = chrono::Utc::now().date_naive();
    let refused = call(key.clone()).await?;
    check(
        refused == StatusCode::PAYMENT_REQUIRED,
        format!("past the limit: {refused}"),
    )?;
    b.reload().await?;
    let row = "//*[@data-testid='key-row'][.//p[normalize-space()='batch job']]";
    b.wait_for(&format!("{row}//span[normalize-space()='Today 2 of 2']"))
        .await?;
    b.screenshot("limit-reached").await?;

    // Rotate with an hour's grace: both secrets read the balance; the count carries over.
    b.click(&format!("{row}//button[normalize-space()='Rotate']"))
        .await?;
    b.choose("Old key works", "1 hour").await?;
    b.press("Yes, rotate").await?;
    b.wait_for(&format!(
        "//*[@data-testid='new-api-key'][normalize-space()!='{key}']"
    ))
    .await?;
    let rotated = b.testid_text("new-api-key").await?;
    b.wait_for("//*[@data-testid='key-row']//span[normalize-space()='Rotated']")
        .await?;
    check(
        b.count("//button[normalize-space()='Yes, rotate']").await? == 0,
        "the rotated row's question is closed",
    )?;
    b.screenshot("rotated").await?;
    for secret in [&key, &rotated] {
        let status = read(secret.clone()).await?;
        check(
            status == StatusCode::OK,
            format!("during the grace: {status}"),
        )?;
    }
    let still_limited = call(rotated.clone()).await?;
    check(
        still_limited == StatusCode::PAYMENT_REQUIRED,
        format!("the new secret's count: {still_limited}"),
    )?;

    // An hour later the old secret is refused and leaves the list; the new one goes on.
    server.advance_clock(Duration::from_secs(3600));
    let old = read(key).await?;
    check(
        old == StatusCode::UNAUTHORIZED,
        format!("after the grace: {old}"),
    )?;
    let new = read(rotated).await?;
    check(new == StatusCode::OK, format!("the new secret: {new}"))?;
    // The hour may have crossed midnight (UTC): then today's count has started again.
    let now = chrono::Utc::now();
    let today = if (now + chrono::TimeDelta::hours(1)).date_naive() == spent_on {
        2
    } else {
        0
    };
    b.reload().await?;
    b.wait_for(&format!(
        "{row}//span[normalize-space()='Today {today} of 2']"
    ))
    .await?;
    check(
        b.count("//*[@data-testid='key-row']").await? == 1,
        "only the new secret is listed",
    )?;
    b.screenshot("grace-over").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_key_is_listed_with_its_limit_and_charted_on_its_own() {
    run("key-usage", rate_limited_key).await;
}

async fn rate_limited_key(b: &mut Browser, server: &Server) -> Result {
    server.sign_up(SCRIPTER.0, SCRIPTER.1).await?;
    server.grant(SCRIPTER.0, 50).await;
    sign_in(b, server, SCRIPTER.0, SCRIPTER.1).await?;

    // Out of bounds, refused in place; 60 is taken.
    b.follow("API keys").await?;
    b.wait_for_path("/keys").await?;
    b.fill("Key name", "nightly").await?;
    b.fill("Requests per minute", "0").await?;
    b.press("Create key").await?;
    b.wait_for("//*[@id='rate_limit_per_minute-error' and contains(., 'between 1 and 1000000')]")
        .await?;
    b.screenshot("rate-limit-refused").await?;
    b.fill("Requests per minute", "60").await?;
    b.press("Create key").await?;
    let key = b.testid_text("new-api-key").await?;
    let row = "//*[@data-testid='key-row'][.//p[normalize-space()='nightly']]";
    b.wait_for(&format!("{row}//span[normalize-space()='60 requests/min']"))
        .await?;

    // The script spends 2 credits with it; the session 1 more from the dashboard.
    for _ in 0..2 {
        let body = json!({ "prompt": "nightly" });
        let status = server
            .status_with_key("/api/generate-text", &key, Some(body))
            .await?;
        check(status == StatusCode::OK, format!("a call: {status}"))?;
    }
    b.reload().await?;
    b.wait_for(&format!("{row}//span[normalize-space()='Today 2 spent']"))
        .await?;
    b.screenshot("keys").await?;
    b.follow("Dashboard").await?;
    b.wait_for_path("/dashboard").await?;
    b.fill("Prompt", "by hand").await?;
    b.press("Generate").await?;
    b.wait_for_testid_text("usage-spent", "3").await?;

    // The chart of that key alone, then of all keys again.
    b.click("//select[@id=//label[normalize-space()='Key']/@for]/option[starts-with(normalize-space(), 'nightly (')]")
        .await?;
    b.wait_for_testid_text("usage-spent", "2").await?;
    b.screenshot("usage-of-one-key").await?;
    b.choose("Key", "All keys").await?;
    b.wait_for_testid_text("usage-spent", "3").await?;
    Ok(())
}
