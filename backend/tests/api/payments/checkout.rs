//! `POST /api/credits/purchase` with Stripe: a Checkout Session, never credits at once.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::fake_stripe::{CHECKOUT_URL, FakeStripe, spawn_with_stripe};
use crate::helpers::*;

both_backends!(
    purchase_creates_a_checkout_session_for_the_package,
    redirect_back_alone_grants_nothing
);

async fn purchase_creates_a_checkout_session_for_the_package(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;

    let response = app
        .post_json(
            "/api/credits/purchase",
            &json!({ "package_id": "pro" }),
            user.bearer(),
        )
        .await;

    let body: Value = expect_json(response, StatusCode::OK).await;
    assert_eq!(body, json!({ "checkout_url": CHECKOUT_URL }));
    let recorded = stripe.recorded();
    assert_eq!(recorded.len(), 1, "one Checkout Session request");
    let session = &recorded[0];
    assert_eq!(session.authorization, "Bearer sk_test_fake");
    assert_eq!(session.field("mode"), Some("payment"));
    assert_eq!(
        session.field("line_items[0][price_data][unit_amount]"),
        Some("4000")
    );
    assert_eq!(
        session.field("line_items[0][price_data][currency]"),
        Some("usd")
    );
    assert_eq!(session.field("line_items[0][quantity]"), Some("1"));
    // The credits go to the organisation the buyer acts in; the metadata names both.
    assert_eq!(
        session.field("client_reference_id"),
        Some(user.org_id.to_string().as_str())
    );
    assert_eq!(
        session.field("metadata[organization_id]"),
        Some(user.org_id.to_string().as_str())
    );
    assert_eq!(session.field("metadata[package_id]"), Some("pro"));
    assert_eq!(
        session.field("metadata[user_id]"),
        Some(user.id.to_string().as_str())
    );
    let success = session.field("success_url").unwrap_or_default();
    assert!(
        success.starts_with("http://127.0.0.1:") && success.contains("/dashboard"),
        "{success}"
    );
    assert!(
        session
            .field("cancel_url")
            .is_some_and(|u| u.contains("/dashboard"))
    );
}

async fn redirect_back_alone_grants_nothing(backend: Backend) {
    let stripe = FakeStripe::start().await;
    let app = spawn_with_stripe(backend, &stripe).await;
    let user = app.new_user().await;

    app.post_json(
        "/api/credits/purchase",
        &json!({ "package_id": "starter" }),
        user.bearer(),
    )
    .await;
    // The browser coming back to the success URL is just a page load.
    app.get("/dashboard?checkout=success", Auth::None).await;

    assert_eq!(app.balance(user.bearer()).await, 0);
    assert!(app.ledger(user.bearer()).await.is_empty());
}
