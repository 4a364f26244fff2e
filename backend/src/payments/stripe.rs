//! Stripe over its HTTP API: Checkout Sessions out, signed webhook events in.
//! <https://docs.stripe.com/payments/checkout>, <https://docs.stripe.com/webhooks#verify-manually>

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::Sha256;
use shared::dto::CreditPackage;

use super::{Buyer, Purchase};
use crate::config::StripeConfig;

/// Events older (or newer) than this are refused: a captured delivery cannot be replayed later.
pub const SIGNATURE_TOLERANCE_SECS: i64 = 300;

pub struct Client {
    http: reqwest::Client,
    config: StripeConfig,
}

#[derive(Deserialize)]
struct CheckoutSessionCreated {
    url: Option<String>,
}

impl Client {
    pub fn new(config: StripeConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { http, config }
    }

    pub fn webhook_secret(&self) -> &str {
        self.config.webhook_secret.expose_secret()
    }

    /// Creates a one-line-item Checkout Session for the package and returns its payment page.
    pub async fn create_checkout_session(
        &self,
        purchase: &Purchase<'_>,
    ) -> Result<String, CheckoutError> {
        let package = purchase.package;
        let user_id = purchase.user_id.to_string();
        let organization_id = purchase.organization_id.to_string();
        let (amount, credits) = (package.price_cents.to_string(), package.credits.to_string());
        let product = format!("{} credits ({})", package.credits, package.id);
        let success = format!("{}/dashboard?checkout=success", purchase.return_base);
        let cancel = format!("{}/dashboard?checkout=cancelled", purchase.return_base);
        let form: [(&str, &str); 14] = [
            ("mode", "payment"),
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", &package.currency),
            ("line_items[0][price_data][unit_amount]", &amount),
            ("line_items[0][price_data][product_data][name]", &product),
            ("client_reference_id", &organization_id),
            ("customer_email", purchase.email),
            ("metadata[organization_id]", &organization_id),
            ("metadata[user_id]", &user_id),
            ("metadata[package_id]", &package.id),
            ("metadata[credits]", &credits),
            ("success_url", &success),
            ("cancel_url", &cancel),
            ("payment_method_types[0]", "card"),
        ];
        let response = self
            .http
            .post(format!("{}/v1/checkout/sessions", self.config.api_base))
            .bearer_auth(self.config.secret_key.expose_secret())
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .form(&form)
            .send()
            .await
            .map_err(CheckoutError::Unreachable)?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(CheckoutError::Refused { status, body });
        }
        let session: CheckoutSessionCreated =
            response.json().await.map_err(CheckoutError::Unexpected)?;
        session.url.ok_or(CheckoutError::NoUrl)
    }
}

/// Why Stripe gave no Checkout Session.
#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error("cannot reach Stripe")]
    Unreachable(#[source] reqwest::Error),
    #[error("Stripe answered {status}: {body}")]
    Refused {
        status: reqwest::StatusCode,
        body: String,
    },
    #[error("unexpected answer from Stripe")]
    Unexpected(#[source] reqwest::Error),
    #[error("Stripe returned a session without a url")]
    NoUrl,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("missing or malformed Stripe-Signature header")]
    Malformed,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
    #[error("no signature matches")]
    Mismatch,
}

/// Checks `Stripe-Signature` (`t=<unix time>,v1=<hex hmac>,...`) over the raw body exactly as
/// Stripe specifies: HMAC-SHA256 of `"{t}.{body}"` with the endpoint secret, any `v1` may match,
/// compared in constant time, `t` within 300 s of `now`.
pub fn verify_signature(
    header: &str,
    body: &[u8],
    secret: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => signatures.extend(hex::decode(sig).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if now.abs_diff(timestamp) > SIGNATURE_TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let mac = signed_payload_mac(secret, timestamp, body);
    let matches = signatures
        .iter()
        .any(|sig| mac.clone().verify_slice(sig).is_ok());
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn signed_payload_mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length.
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `Stripe-Signature` value Stripe would send for `body` at `timestamp` (tests and tools).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = signed_payload_mac(secret, timestamp, body)
        .finalize()
        .into_bytes();
    format!("t={timestamp},v1={}", hex::encode(digest))
}

#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    pub payment_status: String,
    /// What was paid, in the currency's smallest unit.
    pub amount_total: Option<i64>,
    pub currency: Option<String>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

impl CheckoutSession {
    /// The buyer and package this app put in the session's metadata. Sessions created before
    /// organisations name only the user.
    pub fn purchase(&self) -> Option<(Buyer, &str)> {
        let buyer = Buyer {
            user_id: self.metadata.get("user_id")?.parse().ok()?,
            organization_id: match self.metadata.get("organization_id") {
                Some(id) => Some(id.parse().ok()?),
                None => None,
            },
        };
        Some((buyer, self.metadata.get("package_id")?.as_str()))
    }

    /// Whether what was paid is the package's price as configured now: a session created at
    /// another price (a changed configuration, a tampered session) must not buy the package.
    pub fn paid_for(&self, package: &CreditPackage) -> bool {
        self.amount_total == Some(package.price_cents)
            && self
                .currency
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&package.currency))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_signature_made_with_the_secret_verifies() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(verify_signature(&header, BODY, SECRET, 1_000), Ok(()));
        assert_eq!(
            verify_signature(&header, BODY, SECRET, 1_000 + SIGNATURE_TOLERANCE_SECS),
            Ok(())
        );
    }

    #[test]
    fn any_v1_may_match() {
        let good = sign(SECRET, 1_000, BODY);
        let v1 = good.split_once(",v1=").map(|(_, v)| v).unwrap_or_default();
        let header = format!("t=1000,v1={},v1={v1},v0=abc", "0".repeat(64));
        assert_eq!(verify_signature(&header, BODY, SECRET, 1_000), Ok(()));
    }

    #[test]
    fn wrong_secret_tampered_body_and_stale_time_are_refused() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(
            verify_signature(&header, BODY, "whsec_other", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(&header, b"{}", SECRET, 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(&header, BODY, SECRET, 1_000 + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify_signature(&header, BODY, SECRET, 1_000 - 301),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        for t in [i64::MIN, i64::MAX] {
            let header = format!("t={t},v1=00");
            assert_eq!(
                verify_signature(&header, BODY, SECRET, 1_000),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn malformed_headers_are_refused() {
        for header in ["", "t=abc,v1=00", "v1=00", "t=1000", "t=1000,v1=zz"] {
            assert_eq!(
                verify_signature(header, BODY, SECRET, 1_000),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }
}
