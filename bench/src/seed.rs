//! Seeding: users, keys and credits through the API (as a customer would get them), and the
//! scale seed straight in SQL (100,000 users in seconds, not hours of bcrypt).

use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use serde::{Serialize, de::DeserializeOwned};
use shared::dto::{CreateKeyRequest, CreatedKey, Credentials, GrantCreditsRequest, TokenResponse};

use crate::{database::Direct, settings::Kind};

/// Every bench user's password.
pub const PASSWORD: &str = "bench password 12345";
pub const ADMIN_EMAIL: &str = "admin@bench.invalid";
/// The body of every paid call.
pub const PAID_BODY: &str = r#"{"prompt":"hi"}"#;

/// Typed calls to one server.
pub struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(base: String) -> Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
            base,
        })
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
        expect: StatusCode,
    ) -> Result<T> {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.with_context(|| format!("POST {path}"))?;
        let status = res.status();
        if status != expect {
            let text = res.text().await.unwrap_or_default();
            bail!("POST {path}: expected {expect}, got {status}: {text}");
        }
        res.json()
            .await
            .with_context(|| format!("POST {path}: unexpected answer"))
    }

    pub async fn signup(&self, email: &str) -> Result<TokenResponse> {
        let body = Credentials {
            email: email.to_owned(),
            password: PASSWORD.to_owned(),
        };
        self.post("/api/auth/signup", None, &body, StatusCode::CREATED)
            .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<TokenResponse> {
        let body = Credentials {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        self.post("/api/auth/login", None, &body, StatusCode::OK)
            .await
    }

    /// A new API key of the token's user.
    pub async fn create_key(&self, token: &str) -> Result<String> {
        let body = CreateKeyRequest {
            name: "bench".to_owned(),
        };
        let key: CreatedKey = self
            .post("/api/keys", Some(token), &body, StatusCode::CREATED)
            .await?;
        Ok(key.key)
    }

    /// Grants credits as an admin; the new balance.
    pub async fn grant(&self, admin_token: &str, user_id: i64, amount: i64) -> Result<i64> {
        let body = GrantCreditsRequest {
            amount,
            reason: "bench".to_owned(),
        };
        let answer: serde_json::Value = self
            .post(
                &format!("/api/admin/users/{user_id}/credits"),
                Some(admin_token),
                &body,
                StatusCode::OK,
            )
            .await?;
        answer
            .get("credits")
            .and_then(serde_json::Value::as_i64)
            .context("the grant's answer has no credits")
    }
}

/// What the scale seed added.
#[derive(Debug, Clone, Copy)]
pub struct ScaleSeed {
    pub users: u64,
    pub keys: u64,
    pub ledger_rows: u64,
    pub seconds: f64,
    /// A seeded user (ten ledger rows), for the keyset check.
    pub sample_user: i64,
}

/// Seeds `users` users with one key each and `per_user` ledger rows each (credits equal to the
/// sum of their deltas, as the invariant wants), in three multi-row INSERT ... SELECT statements.
pub fn scale_seed(conn: &mut Direct, kind: Kind, users: u64, per_user: u64) -> Result<ScaleSeed> {
    let started = std::time::Instant::now();
    let after = conn.number("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM users")?;
    let ts = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    for sql in scale_seed_sql(kind, after, users, per_user, &ts) {
        conn.batch(&sql)?;
    }
    let count = |conn: &mut Direct, table: &str, column: &str| {
        conn.number(&format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE {column} > {after}"
        ))
    };
    let seeded_users = count(conn, "users", "id")?;
    let keys = count(conn, "api_keys", "user_id")?;
    let ledger_rows = count(conn, "credit_ledger", "user_id")?;
    Ok(ScaleSeed {
        users: u64::try_from(seeded_users)?,
        keys: u64::try_from(keys)?,
        ledger_rows: u64::try_from(ledger_rows)?,
        seconds: started.elapsed().as_secs_f64(),
        sample_user: after + i64::try_from(users / 2)?,
    })
}

/// A valid bcrypt hash (of "password", cost 4): nobody logs in as a seeded user.
const SEED_HASH: &str = "$2b$04$MJVbunFfj.zAgPdIXKdjtuAmZNy3xJdiem0/zZB4Vsx46gvKO5mzS";

/// The scale seed's statements: a recursive CTE on SQLite, generate_series on PostgreSQL.
/// Ledger rows go in round-robin order (each user's rows spread over the table, as real traffic
/// leaves them), so a ledger page must use the (user_id, id) index to stay fast.
pub fn scale_seed_sql(kind: Kind, after: i64, users: u64, per_user: u64, ts: &str) -> Vec<String> {
    let user_cols =
        "email, password_hash, role, credits, is_active, token_version, created_at, updated_at";
    let ledger_cols = "user_id, delta, reason, balance_after, created_at";
    let mut sql = match kind {
        Kind::Sqlite => vec![
            format!(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {users}) \
                 INSERT INTO users ({user_cols}) \
                 SELECT 'scale-' || n || '@bench.invalid', '{SEED_HASH}', 'user', {per_user}, 1, 0, '{ts}', '{ts}' FROM seq"
            ),
            format!(
                "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) \
                 SELECT id, 'scale', 'sk_scale', printf('%064d', id), '{ts}' FROM users WHERE id > {after} ORDER BY id"
            ),
            format!(
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {per_user}) \
                 INSERT INTO credit_ledger ({ledger_cols}) \
                 SELECT u.id, 1, 'scale seed', k.i, '{ts}' FROM k CROSS JOIN users u WHERE u.id > {after} ORDER BY k.i, u.id"
            ),
        ],
        Kind::Postgres => vec![
            format!(
                "INSERT INTO users ({user_cols}) \
                 SELECT 'scale-' || n || '@bench.invalid', '{SEED_HASH}', 'user', {per_user}, TRUE, 0, '{ts}', '{ts}' \
                 FROM generate_series(1, {users}) AS n"
            ),
            format!(
                "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) \
                 SELECT id, 'scale', 'sk_scale', lpad(id::text, 64, '0'), '{ts}' FROM users WHERE id > {after} ORDER BY id"
            ),
            format!(
                "INSERT INTO credit_ledger ({ledger_cols}) \
                 SELECT u.id, 1, 'scale seed', k.i, '{ts}' \
                 FROM generate_series(1, {per_user}) AS k(i) CROSS JOIN users u WHERE u.id > {after} ORDER BY k.i, u.id"
            ),
        ],
    };
    // Leave the database as a long-running one would be: the WAL folded back (SQLite), the
    // statistics fresh after autovacuum's pass and the seed's writes checkpointed (PostgreSQL),
    // so the measured phase does not pay for the seed's I/O (a background checkpoint of the seed's rows
    // competing with the debits' fsyncs cost up to 19% in one run).
    match kind {
        Kind::Sqlite => sql.push("PRAGMA wal_checkpoint(TRUNCATE)".to_owned()),
        Kind::Postgres => sql.extend([
            "VACUUM ANALYZE users, api_keys, credit_ledger".to_owned(),
            "CHECKPOINT".to_owned(),
        ]),
    }
    sql
}

/// The statement `LedgerRow::page` runs (newest first, keyset), for EXPLAIN.
pub fn ledger_page_sql(user_id: i64, before: i64) -> String {
    format!(
        "SELECT id, user_id, delta, reason, reference, balance_after, created_at FROM credit_ledger \
         WHERE user_id = {user_id} AND id < {before} ORDER BY id DESC LIMIT 50"
    )
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
        for kind in [Kind::Sqlite, Kind::Postgres] {
            let sql = scale_seed_sql(kind, 7, 100, 10, "2026-01-01 00:00:00");
            let inserts: Vec<&String> = sql.iter().filter(|s| s.contains("INSERT INTO")).collect();
            assert_eq!(inserts.len(), 3);
            assert!(sql[0].contains("INSERT INTO users"));
            assert!(sql[2].contains("WHERE u.id > 7"));
        }
    }
}
