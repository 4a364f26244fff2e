//! A long ledger: "Show more" follows the API's keyset cursor down to a customer's oldest entry
//! (a growing `limit` would stop at the API's cap of 200 rows).

use serde_json::json;
use shared::dto::User;

use crate::{
    browser::{Browser, Result},
    check, run,
    server::{Server, token},
    sign_in,
};

const ADMIN: (&str, &str) = ("admin@example.com", "admin password 1");
const CUSTOMER: (&str, &str) = ("carol@example.com", "carol's password");
const ENTRIES: usize = 500;
const ROWS: &str = "//*[@data-testid='ledger']/tr";
const SHOW_MORE: &str = "//button[normalize-space()='Show more' and not(@disabled)]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_reaches_the_oldest_of_500_entries() {
    run("ledger", long_ledger).await;
}

async fn long_ledger(b: &mut Browser, server: &Server) -> Result {
    let customer = seed_ledger(server).await?;

    sign_in(b, server, CUSTOMER.0, CUSTOMER.1).await?;
    b.wait_for_testid_text("credit-balance", &ENTRIES.to_string())
        .await?;
    b.wait_for(ROWS).await?;

    // Each press appends the page before the last row shown, until the API has no older one.
    let mut shown = b.count(ROWS).await?;
    for _ in 0..ENTRIES {
        if b.count(SHOW_MORE).await? == 0 {
            break;
        }
        b.press("Show more").await?;
        b.wait_for(&format!(
            "//*[@data-testid='ledger' and count(tr) > {shown}] | //*[@role='alert']"
        ))
        .await?;
        let now = b.count(ROWS).await?;
        check(
            now > shown,
            format!("Show more added nothing to {shown} rows"),
        )?;
        shown = now;
    }
    check(
        shown == ENTRIES,
        format!(
            "{shown} rows shown for {ENTRIES} entries of {}",
            customer.email
        ),
    )?;
    check(
        b.count("//button[normalize-space()='Show more']").await? == 0,
        "Show more is still offered after the oldest entry",
    )?;

    // The oldest entry, the first grant, is the last row: balance 1 after it.
    let oldest = format!("{ROWS}[last()][contains(., 'gift 001')][td[normalize-space()='1']]");
    b.wait_for(&oldest).await?;
    b.screenshot_at("oldest-entry", &oldest).await?;
    Ok(())
}

/// A customer with `ENTRIES` ledger entries: admin grants of 1 credit each, "gift 001" first.
async fn seed_ledger(server: &Server) -> Result<User> {
    server.create_admin(ADMIN.0, ADMIN.1).await;
    let customer = server.sign_up(CUSTOMER.0, CUSTOMER.1).await?;
    let credentials = json!({ "email": ADMIN.0, "password": ADMIN.1 });
    let admin = token(server.post("/api/auth/login", None, credentials).await?)?;
    let grants = format!("/api/admin/users/{}/credits", customer.user.id);
    for n in 1..=ENTRIES {
        let grant = json!({ "amount": 1, "reason": format!("gift {n:03}") });
        server
            .post(&grants, Some(&admin.access_token), grant)
            .await?;
    }
    Ok(customer.user)
}
