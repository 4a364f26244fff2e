//! A database made by the previous release upgrades in place. Its ledger spoke in reason strings
//! (`purchase:starter`, `admin: welcome`, `refund: POST /api/generate-text`, the bare route of a
//! spend); after the migrations every entry has its typed kind and details, every balance still
//! equals the sum of its ledger, and the books go on from there. Its accounts count as verified
//! once email verification exists.

use backend::auth::secret::sha256_hex;
use diesel::migration::{MigrationConnection, MigrationSource};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use reqwest::StatusCode;
use shared::dto::{LedgerKind, TokenResponse};

use crate::helpers::*;

both_backends!(a_database_of_the_first_release_upgrades_with_every_balance_intact);

/// What the first release wrote for two customers: purchases (Stripe and dev), a paid call, its
/// refund, an admin's grant and an admin's correction. Balances as that release left them.
const FIRST_RELEASE_DATA: &str = "
INSERT INTO users (email, password_hash, role, credits, is_active, token_version, created_at, updated_at)
VALUES ('ada@example.com', '{hash}', 'user', 120, TRUE, 0, '2026-11-24 09:00:00', '2026-11-24 09:00:00'),
       ('bob@example.com', '{hash}', 'user', 999, TRUE, 0, '2026-11-24 09:00:00', '2026-11-24 09:00:00');
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT id, 100, 'purchase:starter', 'stripe:cs_test_1', 100, '2026-11-24 10:00:00' FROM users WHERE email = 'ada@example.com';
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT id, -1, 'POST /api/generate-text', NULL, 99, '2026-11-24 10:01:00' FROM users WHERE email = 'ada@example.com';
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT user_id, 1, 'refund: POST /api/generate-text', 'refund:' || id, 100, '2026-11-24 10:01:01'
FROM credit_ledger WHERE delta = -1;
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT id, 25, 'admin: welcome', NULL, 125, '2026-11-24 11:00:00' FROM users WHERE email = 'ada@example.com';
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT id, -5, 'admin: correction', NULL, 120, '2026-11-24 12:00:00' FROM users WHERE email = 'ada@example.com';
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT id, 1000, 'purchase:pro', 'dev:5f0c', 1000, '2026-11-25 10:00:00' FROM users WHERE email = 'bob@example.com';
INSERT INTO credit_ledger (user_id, delta, reason, reference, balance_after, created_at)
SELECT id, -1, 'POST /api/generate-text', NULL, 999, '2026-11-25 10:05:00' FROM users WHERE email = 'bob@example.com';
INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at, last_used_at, revoked_at)
SELECT id, 'deploy', 'sk_firstrele', '{key_hash}', '2026-11-24 09:30:00', NULL, NULL FROM users WHERE email = 'ada@example.com';
INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at, last_used_at, revoked_at)
SELECT id, 'old', 'sk_revokedke', '{revoked_hash}', '2026-11-24 09:30:00', NULL, '2026-11-24 09:40:00' FROM users WHERE email = 'bob@example.com';
INSERT INTO sessions (user_id, token_hash, family_id, expires_at, revoked_at, created_at)
SELECT id, '{token_hash}', 'family-1', '{in_a_month}', NULL, '{yesterday}' FROM users WHERE email = 'ada@example.com';
";

/// Ada's API key of the first release, and a key Bob had revoked.
const ADA_KEY: &str = "sk_firstreleasekey0000000000000000000000000000";
const BOB_REVOKED_KEY: &str = "sk_revokedkey000000000000000000000000000000000";

/// A refresh token Ada's browser held when the first release was running.
const ADA_REFRESH_TOKEN: &str = "a-refresh-token-from-the-first-release";

/// The first release's schema (its one migration, recorded as applied) and its data.
fn first_release_database(url: &str) {
    let hash = bcrypt::hash(PASSWORD, 4).expect("a bcrypt hash");
    let at = |days: i64| {
        (chrono::Utc::now() + chrono::TimeDelta::days(days))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let data = FIRST_RELEASE_DATA
        .replace("{hash}", &hash)
        .replace("{token_hash}", &sha256_hex(ADA_REFRESH_TOKEN))
        .replace("{key_hash}", &sha256_hex(ADA_KEY))
        .replace("{revoked_hash}", &sha256_hex(BOB_REVOKED_KEY))
        .replace("{yesterday}", &at(-1))
        .replace("{in_a_month}", &at(29));
    match url.strip_prefix("sqlite://") {
        Some(path) => apply_first_release(
            SqliteConnection::establish(path).expect("the SQLite file opens"),
            "sqlite",
            &data,
        ),
        None => apply_first_release(
            PgConnection::establish(url).expect("PostgreSQL answers"),
            "postgres",
            &data,
        ),
    }
}

fn apply_first_release<C>(mut conn: C, dialect: &str, data: &str)
where
    C: Connection + MigrationConnection + MigrationHarness<C::Backend>,
{
    conn.setup().expect("the migrations table");
    let dir = format!("{}/../migrations/{dialect}", env!("CARGO_MANIFEST_DIR"));
    let source = FileBasedMigrations::from_path(&dir).expect("the migrations folder");
    let first = MigrationSource::<C::Backend>::migrations(&source)
        .expect("the migrations read")
        .into_iter()
        .min_by_key(|m| m.name().version().to_string())
        .expect("at least one migration");
    conn.run_migration(&*first)
        .expect("the first release's migration applies");
    conn.batch_execute(data)
        .expect("the first release's data goes in");
}

async fn a_database_of_the_first_release_upgrades_with_every_balance_intact(backend: Backend) {
    let app = TestApp::spawn_after(backend, first_release_database).await;
    let route = || "POST /api/generate-text".to_owned();

    // The session signed in before the upgrade goes on (its family now has an absolute end).
    let refreshed: TokenResponse = expect_json(
        app.try_refresh_with_cookie(ADA_REFRESH_TOKEN).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(refreshed.user.email, "ada@example.com");

    let ada = app.sign_in_as("ada@example.com").await;
    let ledger = app.ledger(ada.bearer()).await;
    let entries: Vec<(i64, LedgerKind, i64)> = ledger
        .iter()
        .map(|e| (e.delta, e.kind.clone(), e.balance_after))
        .collect();
    let spend_id = ledger[3].id;
    assert_eq!(
        entries,
        vec![
            (
                -5,
                LedgerKind::Grant {
                    note: "correction".into()
                },
                120
            ),
            (
                25,
                LedgerKind::Grant {
                    note: "welcome".into()
                },
                125
            ),
            (
                1,
                LedgerKind::Refund {
                    refunded_entry_id: spend_id,
                    route: route()
                },
                100
            ),
            (-1, LedgerKind::Spend { route: route() }, 99),
            (
                100,
                LedgerKind::Purchase {
                    package_id: "starter".into()
                },
                100
            ),
        ]
    );
    assert_ledger_consistent(&app, ada.bearer()).await;

    let bob = app.sign_in_as("bob@example.com").await;
    let kinds: Vec<LedgerKind> = app
        .ledger(bob.bearer())
        .await
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            LedgerKind::Spend { route: route() },
            LedgerKind::Purchase {
                package_id: "pro".into()
            },
        ]
    );
    assert_ledger_consistent(&app, bob.bearer()).await;

    // Accounts made before email verification existed count as verified (no customer is locked
    // out of buying by REQUIRE_VERIFIED_EMAIL); a new one is not, until it follows its link.
    assert!(app.me(ada.bearer()).await.email_verified);
    assert!(app.me(bob.bearer()).await.email_verified);
    let newcomer = app.new_user().await;
    assert!(!app.me(newcomer.bearer()).await.email_verified);
    // They keep their password, and no identity provider is linked to them.
    for user in [&ada, &bob] {
        assert!(app.me(user.bearer()).await.has_password);
    }
    assert_eq!(app.count("user_identities").await, 0);
    // Each account of the previous release owns a personal organisation.
    for user in [&ada, &bob] {
        let orgs = app.orgs(user.bearer()).await;
        assert_eq!(orgs.len(), 1, "{orgs:?}");
        assert!(orgs[0].organization.personal);
        assert_eq!(orgs[0].role, shared::dto::OrgRole::Owner);
    }

    // Keys moved into their owner's personal organisation: the live one works and spends that
    // wallet; the revoked one stays revoked.
    let by_key = app.me(Auth::Key(ADA_KEY)).await;
    assert_eq!(
        by_key.organization.id,
        app.me(ada.bearer()).await.organization.id
    );
    assert_eq!(by_key.credits, 120);
    // It keeps what it could do, and no more: spending and reading credits (the tasks' scopes,
    // added later, widen no key made before them), no expiry.
    let listed = app.keys(ada.bearer()).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].scopes.as_slice(), listed[0].expires_at),
        (
            &[
                shared::dto::Scope::PaidCall,
                shared::dto::Scope::CreditsRead
            ][..],
            None
        )
    );
    let revoked = app.try_me(Auth::Key(BOB_REVOKED_KEY)).await;
    expect_error(revoked, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The books go on: paid calls after the upgrade are more typed entries.
    app.spend(ada.bearer(), 1).await;
    app.spend(Auth::Key(ADA_KEY), 1).await;
    assert_eq!(app.balance(ada.bearer()).await, 118);
    assert_ledger_consistent(&app, ada.bearer()).await;
}
