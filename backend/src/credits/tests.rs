//! The refund of a paid call whose handler fails after the charge, idempotency key included. No route of the API does (the
//! demo's input is checked before the charge), so a route made here does, on SQLite and, with
//! `TEST_DATABASE_URL`, PostgreSQL.

use actix_web::{App, HttpResponse, http::StatusCode, middleware::from_fn, post, test, web};
use shared::{
    dto::{GenerateStoryRequest, GenerateTextRequest, LedgerKind, Role},
    validate::{GrantAmount, GrantNote, IDEMPOTENCY_KEY_HEADER},
};
use test_support::{Backend, ScratchDatabase, ServerSettings};

use super::{Metered, Paid, finish_paid_requests};
use crate::{
    auth::API_KEY_HEADER,
    config::Config,
    db::{AnyConnection, Db, DbError},
    error::ApiError,
    mail::Mail,
    models::{
        ApiKeyRow, KeySpec, LedgerRow, OrganizationRow, UserRow, api_key::CreateKey, now,
        user::CreateUser,
    },
    state::AppState,
    storage::Storage,
};

const PRICE: i64 = 2;
const BALANCE: i64 = 5;

#[post("/work")]
async fn failing_work(_: Paid<GenerateTextRequest, PRICE>) -> Result<HttpResponse, ApiError> {
    Err(ApiError::internal("the work failed"))
}

/// Settles a credit of what it reserved, then fails.
#[post("/story")]
async fn failing_story(mut paid: Metered<GenerateStoryRequest>) -> Result<HttpResponse, ApiError> {
    paid.settle(1).await?;
    Err(ApiError::internal("the work failed after settling"))
}

#[actix_web::test]
async fn a_handler_that_fails_after_the_charge_gives_the_credits_back() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some(database) = ScratchDatabase::create(backend) {
            refund_on(&database).await;
        }
    }
}

async fn refund_on(database: &ScratchDatabase) {
    let settings = ServerSettings::test(database.url());
    let config = Config::from_lookup(|name| settings.lookup(name)).expect("the test settings");
    let db = Db::connect(&config).expect("the database");
    db.migrate().expect("the migrations");
    let (org_id, key) = db.write_blocking(customer).expect("a customer");
    let mail = Mail::start(&config, db.clone()).expect("email (to the log)");
    let storage = std::sync::Arc::new(Storage::new(&config.storage).expect("the file store"));
    let state = web::Data::new(
        AppState::new(config, db.clone(), mail, Default::default(), storage).expect("the state"),
    );
    let app = test::init_service(
        App::new()
            .app_data(state)
            .wrap(from_fn(finish_paid_requests))
            .service(failing_work)
            .service(failing_story),
    )
    .await;

    // The key may spend PRICE a day: each refund gives its window back, so the second call is
    // charged (and refunded) again rather than refused for the limit. Both carry one idempotency
    // key: a refunded request keeps no answer, so the retry runs again (no replay, no 409).
    for _ in 0..2 {
        let request = test::TestRequest::post()
            .uri("/work")
            .insert_header((API_KEY_HEADER, key.clone()))
            .insert_header((IDEMPOTENCY_KEY_HEADER, "retry-me"))
            .set_json(serde_json::json!({ "prompt": "hello" }))
            .to_request();
        let response = test::call_service(&app, request).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
    let newest_first = db
        .read_blocking(|conn| LedgerRow::page(conn, org_id, 10, None))
        .expect("the ledger");
    let moves: Vec<(i64, LedgerKind, i64)> = newest_first
        .iter()
        .map(|e| (e.delta, e.kind.clone(), e.balance_after))
        .collect();
    let route = "POST /work".to_owned();
    assert_eq!(
        moves[..2],
        [
            (
                PRICE,
                LedgerKind::Refund {
                    refunded_entry_id: newest_first[1].id,
                    route: route.clone()
                },
                BALANCE
            ),
            (-PRICE, LedgerKind::Spend { route }, BALANCE - PRICE),
        ],
        "{newest_first:#?}"
    );

    // A metered call reserves PRICE (200 words at 100 a credit), settles 1 and fails: the
    // settlement gave 1 back, the refund gives back the 1 still charged, not PRICE again.
    let request = test::TestRequest::post()
        .uri("/story")
        .insert_header((API_KEY_HEADER, key.clone()))
        .set_json(serde_json::json!({ "prompt": "a dragon", "max_words": 200 }))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let newest_first = db
        .read_blocking(|conn| LedgerRow::page(conn, org_id, 3, None))
        .expect("the ledger");
    let moves: Vec<(i64, i64)> = newest_first
        .iter()
        .map(|e| (e.delta, e.balance_after))
        .collect();
    assert_eq!(
        moves,
        [(1, BALANCE), (1, BALANCE - 1), (-PRICE, BALANCE - PRICE)],
        "{newest_first:#?}"
    );
}

/// A user whose personal organisation holds `BALANCE` credits, and an API key of it.
fn customer(conn: &mut AnyConnection) -> Result<(i64, String), DbError> {
    let CreateUser::Created(user) = UserRow::create(conn, "ada@example.com", "-", Role::User)?
    else {
        unreachable!("a fresh database has no account");
    };
    let org = OrganizationRow::personal_of(conn, user.id)?.expect("a personal organisation");
    let amount = GrantAmount::parse(BALANCE).expect("a valid amount");
    let note = GrantNote::parse("test").expect("a valid note");
    LedgerRow::grant(conn, org.id, None, amount, note)?;
    let spec = KeySpec {
        spend_limit_daily: Some(PRICE),
        ..KeySpec::unrestricted("test")
    };
    let CreateKey::Created(key) = ApiKeyRow::create(conn, org.id, user.id, &spec, 1, now())? else {
        unreachable!("a new organisation has no key");
    };
    Ok((org.id, key.key))
}
