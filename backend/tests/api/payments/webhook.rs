//! `POST /api/webhooks/stripe`: verified on the raw bytes, credited once per Checkout Session.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::dto::LedgerKind;

use super::fake_stripe::{
    FakeStripe, WEBHOOK_SECRET, completed_checkout, completed_team_checkout, now, signature,
    spawn_with_stripe,
};
use crate::helpers::*;

both_backends!(
    a_signed_completed_checkout_credits_the_package_once,
    a_teams_checkout_credits_the_team,
    ten_concurrent_deliveries_credit_once,
    bad_signatures_are_400_and_write_nothing,
    unpaid_and_unknown_events_are_acknowledged_and_ignored,
    a_payment_of_another_amount_or_currency_credits_nothing,
    without_stripe_the_webhook_is_unavailable
);

async fn a_signed_completed_checkout_credits_the_package_once(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;
    let event = completed_checkout("evt_1", "cs_test_1", user.id, "starter", "paid");

    let first = app.deliver_signed(&event).await;
    let replay = app.deliver_signed(&event).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(replay.status(), StatusCode::OK, "a replay is acknowledged");
    assert_eq!(app.balance(user.bearer()).await, 100);
    let ledger = app.ledger(user.bearer()).await;
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(
        (ledger[0].delta, &ledger[0].kind),
        (
            100,
            &LedgerKind::Purchase {
                package_id: "starter".to_owned()
            }
        )
    );
}

async fn a_teams_checkout_credits_the_team(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;
    let team = app.create_org(user.bearer(), "Acme").await.organization;
    let in_team = app.switch_org(&user, team.id).await;
    let event = completed_team_checkout("evt_t", "cs_test_t", user.id, team.id, "starter");

    assert_eq!(app.deliver_signed(&event).await.status(), StatusCode::OK);

    assert_eq!(app.balance(in_team.bearer()).await, 100);
    assert_eq!(
        app.balance(user.bearer()).await,
        0,
        "not the buyer's personal wallet"
    );
    assert_ledger_consistent(&app, in_team.bearer()).await;
}

async fn ten_concurrent_deliveries_credit_once(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;
    let event = completed_checkout("evt_2", "cs_test_2", user.id, "pro", "paid");

    let responses = join_all((0..10).map(|_| app.deliver_signed(&event))).await;

    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(app.balance(user.bearer()).await, 1000);
    assert_eq!(app.ledger(user.bearer()).await.len(), 1);
    assert_ledger_consistent(&app, user.bearer()).await;
}

async fn bad_signatures_are_400_and_write_nothing(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;
    let body = serde_json::to_vec(&completed_checkout(
        "evt_3",
        "cs_test_3",
        user.id,
        "starter",
        "paid",
    ))
    .expect("JSON");
    let mut tampered = body.clone();
    let position = tampered.len() - 3;
    tampered[position] = b' ';

    let cases: [(&str, Vec<u8>, Option<String>); 5] = [
        (
            "wrong secret",
            body.clone(),
            Some(signature("whsec_someone_else", now(), &body)),
        ),
        (
            "tampered body",
            tampered,
            Some(signature(WEBHOOK_SECRET, now(), &body)),
        ),
        (
            "old timestamp",
            body.clone(),
            Some(signature(WEBHOOK_SECRET, now() - 301, &body)),
        ),
        ("missing header", body.clone(), None),
        (
            "malformed header",
            body.clone(),
            Some("v1=deadbeef".to_owned()),
        ),
    ];
    for (case, payload, header) in cases {
        let response = app.deliver_webhook(&payload, header.as_deref()).await;
        let error = expect_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
        assert!(!error.message.is_empty(), "{case}");
    }

    let malformed = b"{not json";
    let response = app
        .deliver_webhook(
            malformed,
            Some(&signature(WEBHOOK_SECRET, now(), malformed)),
        )
        .await;
    expect_error(response, StatusCode::BAD_REQUEST, "bad_request").await;

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
}

async fn unpaid_and_unknown_events_are_acknowledged_and_ignored(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;

    let unpaid = completed_checkout("evt_4", "cs_test_4", user.id, "starter", "unpaid");
    let other = json!({ "id": "evt_5", "type": "customer.created", "data": { "object": { "id": "cus_1" } } });
    let unknown_package = completed_checkout("evt_6", "cs_test_6", user.id, "enterprise", "paid");
    for event in [unpaid, other, unknown_package] {
        assert_eq!(
            app.deliver_signed(&event).await.status(),
            StatusCode::OK,
            "{event}"
        );
    }

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
}

async fn without_stripe_the_webhook_is_unavailable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user().await;

    let response = app
        .deliver_signed(&completed_checkout(
            "evt_7",
            "cs_test_7",
            user.id,
            "starter",
            "paid",
        ))
        .await;

    expect_error(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "payments_unavailable",
    )
    .await;
    assert_eq!(app.balance(user.bearer()).await, 0);
}

async fn a_payment_of_another_amount_or_currency_credits_nothing(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;
    let paid = |event: &str, session: &str, amount: Value, currency: Value| {
        let mut event = completed_checkout(event, session, user.id, "starter", "paid");
        event["data"]["object"]["amount_total"] = amount;
        event["data"]["object"]["currency"] = currency;
        event
    };

    for event in [
        paid("evt_7", "cs_test_7", json!(1), json!("usd")),
        paid("evt_8", "cs_test_8", json!(500), json!("eur")),
        paid("evt_9", "cs_test_9", Value::Null, Value::Null),
    ] {
        // Acknowledged (Stripe retrying would not help), logged, and not credited.
        assert_eq!(app.deliver_signed(&event).await.status(), StatusCode::OK);
    }
    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());

    let full_price = paid("evt_10", "cs_test_10", json!(500), json!("USD"));
    assert_eq!(
        app.deliver_signed(&full_price).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.balance(user.bearer()).await, 100);
}
