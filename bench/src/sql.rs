//! Straight to the database, beside the server: the scale seed (100,000 users in seconds, not
//! hours of bcrypt), the ledger checks and the query plans.

use std::{
    fmt::{Display, Write as _},
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use backend::{
    db::{AnyConnection, ConnectionManager},
    models::OrganizationRow,
};
use diesel::{
    QueryableByName, RunQueryDsl, connection::SimpleConnection, pg::Pg, r2d2::ManageConnection,
    sql_types::BigInt, sql_types::Text, sqlite::Sqlite,
};
use test_support::Backend;

/// The server may be writing: wait for SQLite's lock rather than fail.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection outside any pool, set up as the server's are (the same SQLite pragmas).
pub fn connect(database_url: &str) -> Result<AnyConnection> {
    let url = crate::inprocess::config_for(database_url)?.database_url;
    (ConnectionManager::new(&url, BUSY_TIMEOUT).connect())
        .context("cannot connect to the bench database")
}

pub fn kind(conn: &AnyConnection) -> Backend {
    match conn {
        AnyConnection::Sqlite(_) => Backend::Sqlite,
        AnyConnection::Postgresql(_) => Backend::Postgres,
    }
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A line of `EXPLAIN QUERY PLAN` (SQLite) or of `EXPLAIN` (PostgreSQL).
#[derive(QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// Every row `sql` returns.
fn rows<T>(conn: &mut AnyConnection, sql: &str) -> Result<Vec<T>>
where
    T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
{
    match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(sql).load(c),
        AnyConnection::Postgresql(c) => diesel::sql_query(sql).load(c),
    }
    .with_context(|| format!("SQL failed: {sql}"))
}

/// The first row `sql` returns.
fn first_row<T>(conn: &mut AnyConnection, sql: &str) -> Result<T>
where
    T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
{
    let first = rows(conn, sql)?.into_iter().next();
    first.with_context(|| format!("no row from: {sql}"))
}

/// A query returning one BIGINT column named `n`, one row.
pub fn number(conn: &mut AnyConnection, sql: &str) -> Result<i64> {
    Ok(first_row::<Number>(conn, sql)?.n)
}

/// The query plan of `select`, one line per step.
pub fn explain(conn: &mut AnyConnection, select: &str) -> Result<Vec<String>> {
    Ok(match kind(conn) {
        Backend::Sqlite => {
            let plan = rows::<SqlitePlanLine>(conn, &format!("EXPLAIN QUERY PLAN {select}"))?;
            plan.into_iter().map(|r| r.detail).collect()
        }
        Backend::Postgres => {
            let plan = rows::<PgPlanLine>(conn, &format!("EXPLAIN {select}"))?;
            plan.into_iter().map(|r| r.line).collect()
        }
    })
}

/// Whether every plan reads through an index, never the organisation's whole history: no full
/// scan (PostgreSQL's Seq Scan, SQLite's SCAN) and no sort (Sort, SQLite's temporary B-tree).
/// Which index is the planner's choice: for the hot organisation PostgreSQL may walk the primary
/// key backwards with a filter on the organisation, which stops after 50 of its rows.
pub fn indexed(plans: &[Vec<String>]) -> bool {
    let full = ["Seq Scan", "SCAN ", "Sort", "TEMP B-TREE"];
    let indexed = |plan: &Vec<String>| {
        !plan.is_empty() && !plan.iter().any(|l| full.iter().any(|f| l.contains(f)))
    };
    plans.iter().all(indexed)
}

/// The id of `user_id`'s personal organisation: the one whose balance and ledger their own
/// keys, and the admin grant route, move.
pub fn personal_organization(conn: &mut AnyConnection, user_id: i64) -> Result<i64> {
    let personal = OrganizationRow::personal_of(conn, user_id)
        .with_context(|| format!("cannot read the personal organisation of user {user_id}"))?;
    let personal = personal.with_context(|| format!("user {user_id} has no personal organisation"));
    Ok(personal?.id)
}

/// One organisation's balance, the sum of its ledger deltas, and its number of debit rows.
#[derive(Debug, Clone, Copy, QueryableByName)]
pub struct LedgerCheck {
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
    #[diesel(sql_type = BigInt)]
    pub sum: i64,
    #[diesel(sql_type = BigInt)]
    pub debits: i64,
}

impl LedgerCheck {
    /// The check of `user_id`'s personal organisation (where the bench users' credits, keys and
    /// debits are).
    pub fn read(conn: &mut AnyConnection, user_id: i64) -> Result<Self> {
        let ledger = "FROM credit_ledger l WHERE l.organization_id = o.id";
        let sql = format!(
            "SELECT o.credits, (SELECT CAST(COALESCE(SUM(l.delta), 0) AS BIGINT) {ledger}) AS sum, \
             (SELECT COUNT(*) {ledger} AND l.delta < 0) AS debits \
             FROM organizations o WHERE o.personal_user_id = {user_id}"
        );
        first_row(conn, &sql)
    }

    pub fn consistent(&self) -> bool {
        self.credits == self.sum
    }
}

/// What the scale seed added.
#[derive(Debug, Clone, Copy)]
pub struct ScaleSeed {
    pub users: u64,
    pub keys: u64,
    pub ledger_rows: u64,
    pub seconds: f64,
    /// A seeded user (ten ledger rows in their personal organisation), for the keyset check.
    pub sample_user: i64,
}

/// Seeds `users` users, each with a personal organisation (owned by them, as sign-up makes it)
/// holding one key and `per_user` ledger rows (credits equal to the sum of their deltas, as the
/// invariant wants), in five multi-row INSERT ... SELECT statements.
pub fn scale_seed(conn: &mut AnyConnection, users: u64, per_user: u64) -> Result<ScaleSeed> {
    let started = Instant::now();
    let after = number(
        conn,
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM users",
    )?;
    let ts = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    for sql in scale_seed_sql(kind(conn), after, users, per_user, &ts) {
        let first_line = sql.lines().next().unwrap_or_default();
        (conn.batch_execute(&sql)).with_context(|| format!("SQL failed: {first_line}"))?;
    }
    let mut count = |table: &str, column: &str| -> Result<u64> {
        let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} > {after}");
        Ok(u64::try_from(number(conn, &sql)?)?)
    };
    Ok(ScaleSeed {
        users: count("users", "id")?,
        keys: count("api_keys", "created_by")?,
        ledger_rows: count("credit_ledger", "user_id")?,
        seconds: started.elapsed().as_secs_f64(),
        sample_user: after + i64::try_from(users / 2)?,
    })
}

/// A valid bcrypt hash (of "password", cost 4): nobody logs in as a seeded user.
const SEED_HASH: &str = "$2b$04$MJVbunFfj.zAgPdIXKdjtuAmZNy3xJdiem0/zZB4Vsx46gvKO5mzS";

/// The scale seed's statements. Ledger rows go in round-robin order (each user's rows spread over
/// the table, as real traffic leaves them), so a ledger page must read through an index to stay
/// fast.
fn scale_seed_sql(kind: Backend, after: i64, users: u64, per_user: u64, ts: &str) -> Vec<String> {
    // `1..=count` as rows of `table(column)`: a recursive CTE on SQLite, generate_series on
    // PostgreSQL; a 64-character key hash made of the seeded user's id; then what leaves the
    // database as a long-running one would be: the WAL folded back (SQLite), the statistics fresh
    // after autovacuum's pass and the seed's writes checkpointed (PostgreSQL), so the measured
    // phase does not pay for the seed's I/O (a background checkpoint of the seed's rows competing
    // with the debits' fsyncs cost up to 19% in one run).
    type Series = fn(&str, &str, u64) -> [String; 2];
    let (series, key_hash, settle): (Series, &str, &[&str]) = match kind {
        Backend::Sqlite => (
            |t, c, count| {
                let cte = format!("SELECT 1 UNION ALL SELECT {c} + 1 FROM {t} WHERE {c} < {count}");
                [format!("WITH RECURSIVE {t}({c}) AS ({cte}) "), t.to_owned()]
            },
            "printf('%064d', o.personal_user_id)",
            &["PRAGMA wal_checkpoint(TRUNCATE)"],
        ),
        Backend::Postgres => (
            |t, c, count| {
                [
                    String::new(),
                    format!("generate_series(1, {count}) AS {t}({c})"),
                ]
            },
            "lpad(o.personal_user_id::text, 64, '0')",
            &[
                "VACUUM ANALYZE users, organizations, memberships, api_keys, credit_ledger",
                "CHECKPOINT",
            ],
        ),
    };
    let ([with_n, n], [with_k, k]) = (series("seq", "n", users), series("k", "i", per_user));
    let user_cols = "email, password_hash, role, is_active, token_version, created_at, updated_at";
    let ledger_cols = "organization_id, user_id, delta, kind, note, balance_after, created_at";
    // The seeded users' personal organisations: theirs are the only ones whose user is newer.
    let seeded = format!("FROM organizations o WHERE o.personal_user_id > {after}");
    let mut sql = vec![
        format!(
            "{with_n}INSERT INTO users ({user_cols}) \
             SELECT 'scale-' || n || '@bench.invalid', '{SEED_HASH}', 'user', TRUE, 0, '{ts}', '{ts}' FROM {n}"
        ),
        format!(
            "INSERT INTO organizations (name, personal_user_id, created_at, credits) \
             SELECT 'Personal', id, '{ts}', {per_user} FROM users WHERE id > {after} ORDER BY id"
        ),
        format!(
            "INSERT INTO memberships (organization_id, user_id, role, created_at) \
             SELECT o.id, o.personal_user_id, 'owner', '{ts}' {seeded} ORDER BY o.id"
        ),
        format!(
            "INSERT INTO api_keys (organization_id, created_by, name, prefix, key_hash, created_at) \
             SELECT o.id, o.personal_user_id, 'scale', 'sk_scale', {key_hash}, '{ts}' {seeded} ORDER BY o.id"
        ),
        format!(
            "{with_k}INSERT INTO credit_ledger ({ledger_cols}) \
             SELECT o.id, o.personal_user_id, 1, 'grant', 'scale seed', k.i, '{ts}' FROM {k} CROSS JOIN organizations o \
             WHERE o.personal_user_id > {after} ORDER BY k.i, o.id"
        ),
    ];
    sql.extend(settle.iter().map(|s| s.to_string()));
    sql
}

/// The statement `LedgerRow::page` runs (an organisation's, newest first, keyset), for EXPLAIN.
/// Every column, as the page reads them all: the plan is what is checked.
pub fn ledger_page_sql(organization_id: impl Display, before: impl Display) -> String {
    format!(
        "SELECT * FROM credit_ledger WHERE organization_id = {organization_id} AND id < {before} \
         ORDER BY id DESC LIMIT 50"
    )
}

/// The ledger pages' plans, for under the figures.
pub fn plans_markdown(kind: Backend, plans: &[Vec<String>; 2]) -> String {
    let explain = match kind {
        Backend::Sqlite => "EXPLAIN QUERY PLAN",
        Backend::Postgres => "EXPLAIN",
    };
    let page = ledger_page_sql("?", "?");
    let mut out = format!("\nLedger page plans (`{explain}` of `{page}`):\n\n```\n");
    let titles = [
        "a seeded user's personal organisation (10 rows)",
        "the hot paid-call user's personal organisation",
    ];
    for (title, plan) in titles.iter().zip(plans) {
        let _ = writeln!(out, "-- {title}\n{}", plan.join("\n"));
    }
    out + "```\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_hash_is_bcrypt() {
        assert!(bcrypt::verify("password", SEED_HASH).unwrap());
    }

    #[test]
    fn seeds_with_one_statement_per_table() {
        let tables = [
            "users",
            "organizations",
            "memberships",
            "api_keys",
            "credit_ledger",
        ];
        for kind in [Backend::Sqlite, Backend::Postgres] {
            let sql = scale_seed_sql(kind, 7, 100, 10, "2026-01-01 00:00:00");
            let inserts = sql.iter().filter(|s| s.contains("INSERT INTO"));
            assert_eq!(inserts.clone().count(), tables.len());
            for (statement, table) in inserts.zip(tables) {
                assert!(
                    statement.contains(&format!("INSERT INTO {table} (")),
                    "{statement}"
                );
            }
            // Users hold no credits: their personal organisations do.
            assert!(!sql[0].contains("credits") && sql[1].contains("WHERE id > 7"));
            for statement in &sql[2..5] {
                assert!(statement.contains("o.personal_user_id > 7"), "{statement}");
            }
            assert!(sql[4].contains("ORDER BY k.i, o.id"));
        }
        let settle = scale_seed_sql(Backend::Postgres, 7, 100, 10, "2026-01-01 00:00:00");
        assert!(settle[5].starts_with("VACUUM ANALYZE users, organizations, memberships"));
    }

    #[test]
    fn a_page_reads_through_any_index_but_never_scans_or_sorts() {
        let plans = |plans: [&[&str]; 2]| plans.map(|p| p.iter().map(|l| l.to_string()).collect());
        let pages = |p: [&[&str]; 2]| indexed(&plans(p));
        let by_org = "Index Scan Backward using credit_ledger_organization_id_id on credit_ledger";
        let by_id = [
            "Index Scan Backward using credit_ledger_pkey",
            "  Filter: (organization_id = 5)",
        ];
        assert!(pages([&[by_org], &by_id]));
        let search = "SEARCH credit_ledger USING INDEX credit_ledger_organization_id_id \
                      (organization_id=? AND id<?)";
        assert!(pages([&[search]; 2]));
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
