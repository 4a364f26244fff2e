//! The double-spend probe: B credits, then B + 100 paid calls at once; exactly B may succeed.

use std::{fmt::Write as _, time::Duration};

use anyhow::{Result, ensure};
use backend::db::AnyConnection;
use futures_util::future::join_all;

use crate::{
    api::{Api, PAID_BODY, PAID_PATH, User},
    sql::LedgerCheck,
};

/// The balance B of every round (the targets table says B=50), and the calls beyond it.
const BALANCE: i64 = 50;
const EXTRA_CALLS: i64 = 100;

/// `rounds` rounds of: grant B, fire B + 100 paid calls at once (spread over the servers at
/// `urls`), count the answers and check the ledger. The summary (`50/150, 50/150, ...`:
/// successes/calls per round, with what went wrong in a round) and whether every round was
/// exact: B answers 200, the others 402, balance 0 and equal to the sum of the ledger.
pub async fn double_spend(
    api: &Api,
    admin_token: &str,
    user: &User,
    urls: &[String],
    conn: &mut AnyConnection,
    rounds: u32,
) -> Result<(String, bool)> {
    let (balance, calls) = (BALANCE, BALANCE + EXTRA_CALLS);
    let (mut summary, mut exact) = (Vec::new(), rounds > 0);
    for _ in 0..rounds {
        let start = LedgerCheck::read(conn, user.id)?.credits;
        ensure!(
            start == 0,
            "the probe user has {start} credits before a round (expected 0)"
        );
        api.grant(admin_token, user.id, balance).await?;
        // A new client per round: every call opens its own connection, all at once.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(0)
            .build()?;
        let call = |url: &String| {
            let request = client
                .post(format!("{url}{PAID_PATH}"))
                .header("X-API-Key", &user.key);
            let request = request.header("content-type", "application/json");
            request.body(PAID_BODY).send()
        };
        let answers = join_all(urls.iter().cycle().take(usize::try_from(calls)?).map(call)).await;
        let statuses: Vec<u16> = answers
            .iter()
            .flatten()
            .map(|a| a.status().as_u16())
            .collect();
        let count = |status| statuses.iter().filter(|s| **s == status).count() as i64;
        let (ok, refused) = (count(200), count(402));
        let (other, check) = (calls - ok - refused, LedgerCheck::read(conn, user.id)?);
        let mut round = format!("{ok}/{calls}");
        if other > 0 {
            let _ = write!(round, " ({other} errors)");
        }
        let consistent = check.consistent();
        if check.credits != 0 || !consistent {
            let ledger = if consistent { "ok" } else { "INCONSISTENT" };
            let _ = write!(round, " (balance {}, ledger {ledger})", check.credits);
        }
        if check.credits != 0 {
            // Spend what is left so the next round starts from 0 (and says so in the report).
            api.grant(admin_token, user.id, -check.credits).await?;
        }
        exact &= ok == balance && refused == EXTRA_CALLS && other == 0 && check.credits == 0;
        exact &= consistent;
        summary.push(round);
    }
    let summary = summary.join(", ");
    eprintln!("        -> successes/calls per round: {summary}");
    Ok((summary, exact))
}
