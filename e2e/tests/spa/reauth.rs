//! A session signed in a while ago: making an API key asks for the password again (a stolen
//! token must not become a lasting key), and signing out everywhere can revoke every key.

use crate::{
    browser::{Browser, Result},
    check, run,
    server::Server,
};

const CUSTOMER: (&str, &str) = ("dan@example.com", "dan's password 1");
const NEW_KEY: &str = "//*[@data-testid='new-api-key']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_session_confirms_its_password_for_a_key_and_can_revoke_every_key() {
    run("reauth", old_session).await;
}

async fn old_session(b: &mut Browser, server: &Server) -> Result {
    b.goto(&server.url("/signup")).await?;
    b.fill("Email", CUSTOMER.0).await?;
    b.fill("Password", CUSTOMER.1).await?;
    b.press("Sign up").await?;
    b.wait_for_path("/dashboard").await?;

    // Eleven minutes later (moved back in the database), a reload refreshes the session.
    sign_ins_were_minutes_ago(server, 11).await?;
    b.reload().await?;
    b.follow("API keys").await?;
    b.wait_for_path("/keys").await?;

    // The key is not made until the password is given again, and a wrong one is refused.
    b.fill("Key name", "deploy bot").await?;
    b.press("Create key").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'your password to continue')]")
        .await?;
    b.screenshot("password-asked").await?;
    b.fill("Your password", "not my password").await?;
    b.press("Create key").await?;
    b.wait_for("//*[@data-testid='field-error' and contains(., 'password is not right')]")
        .await?;
    b.fill("Your password", CUSTOMER.1).await?;
    b.press("Create key").await?;
    b.wait_for(NEW_KEY).await?;
    let key = b.testid_text("new-api-key").await?;
    check(
        b.count("//input[@id='password']").await? == 0,
        "the password field stays after the key is made",
    )?;
    b.screenshot("key-created").await?;
    check(key_answers(server, &key).await? == 200, "the new key works")?;

    // Sign out everywhere, revoking every key: the key stops working.
    b.follow("Account").await?;
    b.wait_for_path("/account").await?;
    b.click("//input[@id='sign-out-revoke-keys']").await?;
    b.press("Sign out everywhere").await?;
    b.wait_for_path("/login").await?;
    let status = key_answers(server, &key).await?;
    check(status == 401, format!("a revoked key answered {status}"))?;
    Ok(())
}

/// Moves every session's sign-in `minutes` into the past.
async fn sign_ins_were_minutes_ago(server: &Server, minutes: i64) -> Result {
    use backend::db::{Db, schema::sessions};
    use diesel::prelude::*;

    let config = server.config.clone();
    let at = backend::models::now() - chrono::TimeDelta::minutes(minutes);
    tokio::task::spawn_blocking(move || {
        let db = Db::connect(&config).map_err(|e| e.to_string())?;
        db.write_blocking(|conn| {
            diesel::update(sessions::table)
                .set(sessions::authenticated_at.eq(at))
                .execute(conn)
        })
        .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
    .map(drop)
}

/// The status `GET /api/me` answers with `key`.
async fn key_answers(server: &Server, key: &str) -> Result<u16> {
    let response = reqwest::Client::new()
        .get(server.url("/api/me"))
        .header("X-API-Key", key)
        .send()
        .await
        .map_err(|e| format!("a call with the key: {e}"))?;
    Ok(response.status().as_u16())
}
