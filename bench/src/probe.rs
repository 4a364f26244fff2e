//! The double-spend probe: B credits, then B + 100 paid calls at once; exactly B may succeed.

use std::time::Duration;

use anyhow::{Result, bail};
use backend::db::AnyConnection;
use futures_util::future::join_all;

use crate::{
    api::{Api, PAID_BODY, PAID_PATH, User},
    measured::ProbeRound,
    settings::Settings,
    sql::LedgerCheck,
};

/// Calls of the double-spend probe beyond the balance.
const EXTRA_CALLS: i64 = 100;

/// Rounds of: grant B, fire B + 100 paid calls at once (spread over the servers at `urls`),
/// count the answers and check the ledger.
pub async fn double_spend(
    s: &Settings,
    api: &Api,
    admin_token: &str,
    user: &User,
    urls: &[String],
    conn: &mut AnyConnection,
) -> Result<Vec<ProbeRound>> {
    let (balance, calls) = (s.probe_balance, s.probe_balance + EXTRA_CALLS);
    let mut rounds = Vec::new();
    for _ in 0..s.rounds {
        let start = LedgerCheck::read(conn, user.id)?.credits;
        if start != 0 {
            bail!("the probe user has {start} credits before a round (expected 0)");
        }
        api.grant(admin_token, user.id, balance).await?;
        // A new client per round: every call opens its own connection, all at once.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(0)
            .build()?;
        let call = |url: &String| {
            let request = client.post(format!("{url}{PAID_PATH}"));
            let request = request.header("X-API-Key", &user.key);
            request
                .header("content-type", "application/json")
                .body(PAID_BODY)
                .send()
        };
        let answers = join_all(urls.iter().cycle().take(usize::try_from(calls)?).map(call)).await;
        let statuses: Vec<u16> = answers
            .iter()
            .flatten()
            .map(|a| a.status().as_u16())
            .collect();
        let count = |status| statuses.iter().filter(|s| **s == status).count() as i64;
        let (ok, refused) = (count(200), count(402));
        let check = LedgerCheck::read(conn, user.id)?;
        rounds.push(ProbeRound {
            balance_before: balance,
            calls,
            ok,
            refused,
            other: calls - ok - refused,
            balance_after: check.credits,
            ledger_consistent: check.consistent(),
        });
        if check.credits != 0 {
            // Spend what is left so the next round starts from 0 (and says so in the report).
            api.grant(admin_token, user.id, -check.credits).await?;
        }
    }
    let successes: Vec<i64> = rounds.iter().map(|r| r.ok).collect();
    eprintln!("        -> successes per round: {successes:?}");
    Ok(rounds)
}
