//! On SQLite, the idempotency keys a previous release stored (keyed B-tree, WITHOUT ROWID) move
//! to a table in arrival order with its key as an index: every claim and answer stays, with its
//! key still unique, so a retry after the upgrade replays as it would have before.

use diesel::migration::{MigrationConnection, MigrationSource};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{Connection, SqliteConnection, sql_query};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};

/// The first migration of the release that stores them in arrival order.
const LAYOUT_CHANGE: &str = "20261203000001";

#[derive(Debug, PartialEq, QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    organization_id: i64,
    #[diesel(sql_type = Text)]
    idempotency_key: String,
    #[diesel(sql_type = Text)]
    fingerprint: String,
    #[diesel(sql_type = Text)]
    created_at: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    status_code: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    response_body: Option<String>,
}

fn rows(conn: &mut SqliteConnection) -> Vec<Row> {
    sql_query(
        "SELECT organization_id, idempotency_key, fingerprint, created_at, status_code, \
         response_body FROM idempotency_keys ORDER BY organization_id, idempotency_key",
    )
    .load(conn)
    .expect("the keys read")
}

#[test]
fn stored_idempotency_keys_survive_the_sqlite_layout_change() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("previous.db");
    let mut conn = SqliteConnection::establish(&path.display().to_string()).expect("it opens");
    conn.setup().expect("the migrations table");
    let folder = format!("{}/../migrations/sqlite", env!("CARGO_MANIFEST_DIR"));
    let source = FileBasedMigrations::from_path(&folder).expect("the migrations folder");
    let mut migrations = MigrationSource::<Sqlite>::migrations(&source).expect("they read");
    migrations.sort_by_key(|m| m.name().version().to_string());
    let (previous, this): (Vec<_>, Vec<_>) = migrations
        .into_iter()
        .partition(|m| m.name().version().to_string().as_str() < LAYOUT_CHANGE);
    assert!(!this.is_empty(), "no migration from {LAYOUT_CHANGE} on");
    for migration in &previous {
        conn.run_migration(&**migration)
            .expect("a previous migration applies");
    }
    // An answered key, one still running, and the same key value in another organisation.
    sql_query(
        "INSERT INTO organizations (id, name, created_at) VALUES \
         (1, 'a', '2026-12-01 09:00:00'), (2, 'b', '2026-12-01 09:00:00')",
    )
    .execute(&mut conn)
    .expect("two organisations");
    sql_query(
        "INSERT INTO idempotency_keys VALUES \
         (1, 'retry-me', 'f1', '2026-12-01 10:00:00', 200, '{\"text\":\"hi\"}'), \
         (1, 'running', 'f2', '2026-12-01 10:00:01', NULL, NULL), \
         (2, 'retry-me', 'f3', '2026-12-01 10:00:02', 402, '{\"error\":{}}')",
    )
    .execute(&mut conn)
    .expect("the previous release's keys go in");
    let before = rows(&mut conn);
    assert_eq!(before.len(), 3);

    for migration in &this {
        conn.run_migration(&**migration)
            .expect("the new migrations apply");
    }

    assert_eq!(rows(&mut conn), before);
    let layout: Text1 =
        sql_query("SELECT sql AS text FROM sqlite_master WHERE name = 'idempotency_keys'")
            .get_result(&mut conn)
            .expect("the table is there");
    assert!(!layout.text.contains("WITHOUT ROWID"), "{}", layout.text);
    let duplicate = sql_query(
        "INSERT INTO idempotency_keys (organization_id, idempotency_key, fingerprint, created_at) \
         VALUES (1, 'retry-me', 'f4', '2026-12-01 11:00:00')",
    )
    .execute(&mut conn);
    assert!(duplicate.is_err(), "a key is still unique per organisation");
    let purge: Vec<Plan> = sql_query(
        "EXPLAIN QUERY PLAN DELETE FROM idempotency_keys WHERE created_at <= '2026-12-01'",
    )
    .load(&mut conn)
    .expect("a plan");
    assert!(
        purge
            .iter()
            .any(|p| p.detail.contains("idempotency_keys_created_at")),
        "the hourly purge finds old keys by their index"
    );
}

#[derive(QueryableByName)]
struct Text1 {
    #[diesel(sql_type = Text)]
    text: String,
}

/// A line of `EXPLAIN QUERY PLAN`.
#[derive(QueryableByName)]
struct Plan {
    #[diesel(sql_type = Text)]
    detail: String,
}
