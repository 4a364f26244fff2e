//! Measurements inside this process, through the backend library: the debit's ceiling without
//! HTTP, one bcrypt hash, a ledger page. They are blocking: call them on a blocking thread.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use backend::{
    Config,
    db::{AnyConnection, Db, write_transaction},
    models::{
        LedgerRow, OrganizationRow, UserRow, ledger::Actor, ledger::Posted, user::CreateUser,
    },
};
use shared::dto::{LedgerKind, Role};

/// The backend's configuration for `database_url`, defaults otherwise (as the server has them).
pub fn config_for(database_url: &str) -> Result<Config> {
    let url = database_url.to_owned();
    Config::from_lookup(move |key| (key == "DATABASE_URL").then(|| url.clone()))
        .context("backend configuration")
}

/// Seconds for one bcrypt hash at `cost` (median of three).
pub fn bcrypt_seconds(cost: u32) -> Result<f64> {
    median_seconds(3, || {
        bcrypt::hash("correct horse battery staple", cost).context("bcrypt")
    })
}

/// The median time of `runs` calls of `f`, in seconds.
fn median_seconds<T>(runs: usize, mut f: impl FnMut() -> Result<T>) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64());
    }
    Ok(median(&mut times))
}

/// How the ceiling reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// `Db::write_queued`, the server's own path: on SQLite its writer thread (which commits the
    /// writes queued meanwhile together), on PostgreSQL its pool and its transaction.
    Pool,
    /// One raw connection per thread and `write_transaction`: the statements alone.
    Raw,
}

/// Debits per second of `LedgerRow::post(conn, organization, user, -1, spend, None)` (a new
/// user's personal organisation) in a write transaction from `threads` threads on a fresh
/// database, for `duration` after a `warmup` (not counted); and the number of debits counted.
pub fn debit_ceiling(
    database_url: &str,
    path: Path,
    threads: usize,
    (warmup, duration): (Duration, Duration),
) -> Result<(f64, u64)> {
    let db = Db::connect(&config_for(database_url)?).context("cannot connect")?;
    db.migrate().context("cannot migrate")?;
    let email = format!("ceiling-{path:?}@bench.invalid").to_lowercase();
    let (user_id, personal) = db
        .write_blocking(|c| {
            let CreateUser::Created(user) = UserRow::create(c, &email, "not-a-hash", Role::User)?
            else {
                return Ok(None);
            };
            let personal = OrganizationRow::personal_of(c, user.id)?;
            Ok::<_, diesel::result::Error>(Some((user.id, personal)))
        })?
        .context("the bench user exists already")?;
    let organization = personal
        .context("the bench user has no personal organisation")?
        .id;
    let actor = Actor::user(user_id);
    let grant = LedgerKind::Grant {
        note: "bench".to_owned(),
    };
    db.write_blocking(|c| {
        LedgerRow::post(c, organization, actor, 1_000_000_000_000, &grant, None)
    })?;
    let spend = LedgerKind::Spend {
        route: "POST /api/generate-text".to_owned(),
    };
    let debit =
        move |c: &mut AnyConnection| LedgerRow::post(c, organization, actor, -1, &spend, None);

    let start = Instant::now();
    let (measure_from, stop_at) = (start + warmup, start + warmup + duration);
    // One thread's debits after the warm-up.
    let worker = || -> Result<u64> {
        let mut raw = match path {
            Path::Raw => Some(crate::sql::connect(database_url)?),
            Path::Pool => None,
        };
        let mut counted = 0;
        loop {
            let now = Instant::now();
            if now >= stop_at {
                return Ok(counted);
            }
            let posted = match raw.as_mut() {
                Some(conn) => write_transaction(conn, &debit)?,
                None => {
                    let debit = debit.clone();
                    db.write_queued(move |c| debit(c))?
                }
            };
            if !matches!(posted, Posted::Applied { .. }) {
                bail!("the ceiling's debit was refused: {posted:?}");
            }
            counted += u64::from(now >= measure_from);
        }
    };
    let debits = std::thread::scope(|s| -> Result<u64> {
        let workers: Vec<_> = (0..threads).map(|_| s.spawn(worker)).collect();
        let panicked = |_| anyhow::anyhow!("a ceiling thread panicked");
        workers
            .into_iter()
            .map(|w| w.join().map_err(panicked)?)
            .sum()
    })?;
    Ok((debits as f64 / duration.as_secs_f64(), debits))
}

/// Median time, in microseconds, of `LedgerRow::page(organization, 50)` (the newest rows) on a
/// raw connection.
pub fn ledger_page_micros(database_url: &str, organization_id: i64) -> Result<f64> {
    let mut conn = crate::sql::connect(database_url)?;
    let mut page = || LedgerRow::page(&mut conn, organization_id, 50, None).context("ledger page");
    let seconds = median_seconds(200, &mut page)?;
    ensure!(
        !page()?.is_empty(),
        "the ledger page of organisation {organization_id} is empty"
    );
    Ok(seconds * 1e6)
}

pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }
}
