//! Stripe's webhook: the only way purchased credits arrive. Verified on the raw bytes before
//! anything is parsed; credited once per Checkout Session, however often it is delivered.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde_json::json;
use shared::dto::ErrorBody;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    error::ApiError,
    models::ledger::Posted,
    payments::{
        Provider, credit_purchase,
        stripe::{CheckoutSession, Event, verify_signature},
    },
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(stripe_webhook);
}

/// Events that mean a Checkout Session is paid (`async_payment_succeeded`: delayed methods).
const PAID_EVENTS: [&str; 2] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
];

#[utoipa::path(
    post,
    tag = "credits",
    request_body(content = String, description = "A Stripe event, signed in the Stripe-Signature header", content_type = "application/json"),
    params(("Stripe-Signature" = String, Header, description = "t=<unix time>,v1=<HMAC-SHA256 hex>")),
    responses(
        (status = 200, description = "Received (credited once, or ignored)"),
        (status = 400, description = "bad_request: bad signature, stale timestamp or malformed event", body = ErrorBody),
        (status = 503, description = "payments_unavailable: Stripe is not configured", body = ErrorBody),
    )
)]
#[post("/webhooks/stripe")]
async fn stripe_webhook(
    state: State,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let Provider::Stripe(stripe) = &state.payments else {
        return Err(ApiError::PaymentsUnavailable);
    };
    let header = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    verify_signature(
        header,
        &body,
        stripe.webhook_secret(),
        chrono::Utc::now().timestamp(),
    )
    .map_err(|e| ApiError::BadRequest(format!("invalid Stripe webhook: {e}")))?;
    let event: Event = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("malformed Stripe event: {e}")))?;
    let received = HttpResponse::Ok().json(json!({ "received": true }));
    if !PAID_EVENTS.contains(&event.kind.as_str()) {
        tracing::debug!(event = %event.id, kind = %event.kind, "Stripe event ignored");
        return Ok(received);
    }
    let session: CheckoutSession = serde_json::from_value(event.data.object)
        .map_err(|e| ApiError::BadRequest(format!("malformed checkout session: {e}")))?;
    if session.payment_status != "paid" {
        tracing::info!(session = %session.id, status = %session.payment_status, "checkout not paid yet");
        return Ok(received);
    }
    // A session this app did not create, or for a package no longer sold: acknowledged (a retry
    // would not help) and logged for a human.
    let Some((buyer, package_id)) = session.purchase() else {
        tracing::error!(session = %session.id, "paid checkout without this app's metadata");
        return Ok(received);
    };
    let Some(package) = state.config.package(package_id) else {
        tracing::error!(session = %session.id, package_id, "paid checkout for an unknown package");
        return Ok(received);
    };
    if !session.paid_for(package) {
        tracing::error!(
            session = %session.id,
            package_id,
            paid = ?session.amount_total,
            currency = ?session.currency,
            price = package.price_cents,
            "paid amount differs from the package's price: not credited"
        );
        return Ok(received);
    }
    match credit_purchase(&state.db, buyer, package, &format!("stripe:{}", session.id)).await? {
        Posted::Applied { balance, .. } => {
            tracing::info!(?buyer, session = %session.id, balance, "credits purchased")
        }
        Posted::Duplicate => tracing::info!(session = %session.id, "checkout already credited"),
        // No organisation at all: the buyer's account is gone. A retry cannot help either.
        Posted::Insufficient => {
            tracing::error!(?buyer, session = %session.id, "paid checkout for a buyer who is gone");
        }
    }
    Ok(received)
}
