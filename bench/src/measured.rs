//! What one database's run measured: the phases fill it in, the report reads it.

use std::time::Duration;

use anyhow::Result;

use crate::{inprocess::Ceiling, load::LoadResult, sql::LedgerCheck, sql::ScaleSeed};

#[derive(Default)]
pub struct Measured {
    /// Spawn to the first 200 from /readyz, empty database (migrations included).
    pub starts: Vec<Duration>,
    /// The debit without HTTP: through the server's pool, and on raw connections.
    pub ceiling: Ceiling,
    pub ceiling_raw: Ceiling,
    pub paid: Paid,
    /// Paid calls from the bench's own generator (`keyed_load`): with the paid user's key, and
    /// with a scoped key that has spend and rate limits and an idempotency key each.
    pub paid_hyper: LoadResult,
    pub paid_keyed: Paid,
    pub me: LoadResult,
    /// GET /api/me by `ME_USERS` users at once.
    pub me_users: LoadResult,
    pub bcrypt_seconds: f64,
    pub logins: LoadResult,
    /// /healthz, probed while the logins run.
    pub healthz: LoadResult,
    pub probe: Vec<ProbeRound>,
    pub seed: ScaleSeed,
    /// The paid calls again, after the scale seed.
    pub scaled: Paid,
    /// EXPLAIN of a ledger page of a personal organisation: a seeded user's (10 rows), the hot
    /// paid-call user's.
    pub plans: [Vec<String>; 2],
    /// Median in-process time of a 50-row ledger page, microseconds: the same two organisations.
    pub page_us: [f64; 2],
    pub peak_rss_kib: u64,
    /// PostgreSQL: two servers on one database.
    pub replicas: Option<Replicas>,
}

impl Measured {
    /// Whether both ledger pages read through an index, never the organisation's whole history:
    /// no full scan (PostgreSQL's Seq Scan, SQLite's SCAN) and no sort (Sort, SQLite's temporary
    /// B-tree). Which index is the planner's choice: for the hot organisation PostgreSQL may walk
    /// the primary key backwards with a filter on the organisation, which stops after 50 of its
    /// rows.
    pub fn pages_read_through_an_index(&self) -> bool {
        let full = ["Seq Scan", "SCAN ", "Sort", "TEMP B-TREE"];
        let indexed = |plan: &Vec<String>| {
            !plan.is_empty() && !plan.iter().any(|l| full.iter().any(|f| l.contains(f)))
        };
        self.plans.iter().all(indexed)
    }
}

/// A paid-call phase and what the ledger says about it.
#[derive(Default)]
pub struct Paid {
    pub load: LoadResult,
    pub ledger: Ledger,
}

impl Paid {
    pub fn per_sec(&self) -> f64 {
        self.load.per_sec(200)
    }
}

/// Whether every paid call that succeeded left one debit row, and the balance is the sum of the
/// ledger.
#[derive(Default)]
pub struct Ledger {
    pub exact: bool,
    pub note: String,
}

impl Ledger {
    /// `successes` paid calls between the checks `before` and `after`.
    pub fn compare(before: LedgerCheck, after: LedgerCheck, successes: u64) -> Result<Self> {
        let successes = i64::try_from(successes)?;
        let debits = after.debits - before.debits;
        Ok(Self {
            exact: after.consistent() && debits == successes,
            note: format!(
                "{successes} successes, {debits} debit rows; balance {} = sum of deltas {}",
                after.credits, after.sum
            ),
        })
    }
}

/// One round of the double-spend probe.
#[derive(Debug, Clone)]
pub struct ProbeRound {
    pub balance_before: i64,
    pub calls: i64,
    pub ok: i64,
    pub refused: i64,
    pub other: i64,
    pub balance_after: i64,
    pub ledger_consistent: bool,
}

impl ProbeRound {
    pub fn exact(&self) -> bool {
        self.ok == self.balance_before
            && self.refused == self.calls - self.balance_before
            && self.other == 0
            && self.balance_after == 0
            && self.ledger_consistent
    }
}

/// Two servers on one PostgreSQL database.
pub struct Replicas {
    pub starts: Vec<Duration>,
    pub probe: Vec<ProbeRound>,
    /// Paid calls on one hot user through both replicas at once.
    pub loads: Vec<LoadResult>,
    pub ledger: Ledger,
}

impl Replicas {
    pub fn per_sec(&self) -> f64 {
        self.loads.iter().map(|l| l.per_sec(200)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::Measured;

    fn pages(plans: [&[&str]; 2]) -> bool {
        let plans = plans.map(|plan| plan.iter().map(|l| (*l).to_owned()).collect());
        (Measured {
            plans,
            ..Measured::default()
        })
        .pages_read_through_an_index()
    }

    #[test]
    fn a_page_reads_through_any_index_but_never_scans_or_sorts() {
        let by_org = "Index Scan Backward using credit_ledger_organization_id_id on credit_ledger";
        let by_id = [
            "Index Scan Backward using credit_ledger_pkey",
            "  Filter: (organization_id = 5)",
        ];
        assert!(pages([&[by_org], &by_id]));
        assert!(pages(
            [&[
                "SEARCH credit_ledger USING INDEX credit_ledger_organization_id_id \
                (organization_id=? AND id<?)"
            ]; 2]
        ));
        assert!(!pages([
            &[by_org],
            &["Limit", "  ->  Seq Scan on credit_ledger"]
        ]));
        assert!(!pages([
            &[by_org],
            &["Sort", "  ->  Bitmap Heap Scan on credit_ledger"]
        ]));
        let sqlite_scan = ["SCAN credit_ledger", "USE TEMP B-TREE FOR ORDER BY"];
        assert!(!pages([&sqlite_scan, &sqlite_scan]));
        assert!(!pages([&[], &[by_org]]));
    }
}
