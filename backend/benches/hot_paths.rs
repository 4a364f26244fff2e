//! Micro-benchmarks of what every paid call does: find the API key, verify a token, debit.
//! `cargo bench -p backend --bench hot_paths` (`make bench` runs them with short measurement
//! times). Each uses a fresh SQLite file in a temporary directory.

use std::time::Duration;

use backend::{
    Config,
    auth::{jwt::JwtKeys, secret::sha256_hex, signing_key::SigningKey},
    db::Db,
    models::{
        ApiKeyRow, KeySpec, LedgerRow, OrganizationRow, UserRow, api_key::CreateKey, ledger::Actor,
        now, user::CreateUser,
    },
};
use criterion::{Criterion, criterion_group, criterion_main};
use shared::dto::{LedgerKind, Role};
use test_support::{Backend, ScratchDatabase};

/// A fresh, migrated SQLite database, removed when dropped.
struct TempDb {
    scratch: ScratchDatabase,
    db: Db,
}

impl TempDb {
    fn new() -> Self {
        let scratch = ScratchDatabase::create(Backend::Sqlite).expect("SQLite is always there");
        let url = scratch.url().to_owned();
        let config = Config::from_lookup(|key| (key == "DATABASE_URL").then(|| url.clone()))
            .expect("configuration");
        let db = Db::connect(&config).expect("database");
        db.migrate().expect("migrations");
        Self { scratch, db }
    }

    /// A new user whose personal organisation holds `credits`: (user id, organisation id).
    fn user(&self, email: &str, credits: i64) -> (i64, i64) {
        self.db
            .write_blocking(|c| {
                let CreateUser::Created(user) =
                    UserRow::create(c, email, "not-a-hash", Role::User)?
                else {
                    panic!("a fresh email");
                };
                let org = OrganizationRow::personal_of(c, user.id)?.expect("a personal one");
                let grant = LedgerKind::Grant {
                    note: "bench".to_owned(),
                };
                LedgerRow::post(c, org.id, Actor::user(user.id), credits, &grant, None)?;
                Ok::<_, diesel::result::Error>((user.id, org.id))
            })
            .expect("user")
    }
}

/// sha256_hex of a presented key, then `ApiKeyRow::authenticate` (the key + owner join) among
/// 1,000 users with one key each.
fn key_lookup(c: &mut Criterion) {
    let t = TempDb::new();
    let mut keys = Vec::new();
    for i in 0..1_000 {
        let (user_id, org_id) = t.user(&format!("user{i}@bench.invalid"), 1);
        let created =
            t.db.write_blocking(|c| {
                ApiKeyRow::create(
                    c,
                    org_id,
                    user_id,
                    &KeySpec::unrestricted("bench"),
                    1,
                    now(),
                )
            })
            .expect("key");
        let CreateKey::Created(key) = created else {
            panic!("a new user has no key yet");
        };
        keys.push(key.key);
    }
    let key = keys[keys.len() / 2].clone();
    // Outside the pool, set up as the server's read connections are.
    let mut conn = {
        use diesel::{Connection, SqliteConnection, connection::SimpleConnection};
        let path = t.scratch.sqlite_file().expect("an SQLite file");
        let mut c = SqliteConnection::establish(path.to_str().expect("UTF-8 path")).expect("open");
        c.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
            .expect("pragmas");
        backend::db::AnyConnection::Sqlite(c)
    };

    c.bench_function("sha256_hex(api key)", |b| {
        b.iter(|| sha256_hex(std::hint::black_box(&key)))
    });
    c.bench_function("ApiKeyRow::authenticate (SQLite, 1,000 keys)", |b| {
        b.iter(|| {
            let found =
                ApiKeyRow::authenticate(&mut conn, std::hint::black_box(&key)).expect("query");
            assert!(found.is_some());
        })
    });
}

/// Access tokens: issuing one (an Ed25519 signature), verifying a new one (signature, issuer,
/// audience and expiry), and verifying one seen before (what most requests do).
fn jwt_verify(c: &mut Criterion) {
    let (key, _) = SigningKey::generate().expect("a key");
    let keys = JwtKeys::new(
        vec![key],
        "https://app.example.com",
        "SaaS Starter",
        Duration::from_secs(900),
    );
    let token = keys.issue(42, 0, 7, 1_700_000_000, 9).expect("token");
    c.bench_function("JwtKeys::verify (seen before)", |b| {
        b.iter(|| keys.verify(std::hint::black_box(&token)).expect("valid"))
    });
    let mut session = 0;
    c.bench_function("JwtKeys::issue + first verify", |b| {
        b.iter(|| {
            session += 1;
            let token = keys.issue(42, 0, session, 1_700_000_000, 9).expect("token");
            keys.verify(&token).expect("valid")
        })
    });
}

/// The debit: `LedgerRow::post(-1)` in a write transaction (conditional UPDATE ... RETURNING
/// plus the ledger INSERT), through the server's write pool.
fn debit(c: &mut Criterion) {
    let t = TempDb::new();
    let (user_id, org_id) = t.user("debit@bench.invalid", 1_000_000_000_000);
    let actor = Actor::user(user_id);
    let spend = LedgerKind::Spend {
        route: "POST /api/generate-text".to_owned(),
    };
    c.bench_function("debit: Db::write_blocking(LedgerRow::post) (SQLite)", |b| {
        b.iter(|| {
            t.db.write_blocking(|c| LedgerRow::post(c, org_id, actor, -1, &spend, None))
                .expect("debit")
        })
    });
}

criterion_group!(hot_paths, key_lookup, jwt_verify, debit);
criterion_main!(hot_paths);
