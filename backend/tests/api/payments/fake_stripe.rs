//! A local stand-in for Stripe: its API records Checkout Session requests, and `signed_event`
//! signs webhook payloads the way Stripe does (HMAC-SHA256 of "{t}.{body}").

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{Backend, TestApp};

pub const WEBHOOK_SECRET: &str = "whsec_test_0123456789abcdef";
pub const CHECKOUT_URL: &str = "https://checkout.stripe.test/c/pay/cs_test_1";

/// One recorded Checkout Session request: its form fields and authorization header.
#[derive(Debug, Clone)]
pub struct SessionRequest {
    pub form: Vec<(String, String)>,
    pub authorization: String,
}

impl SessionRequest {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct FakeStripe {
    pub base_url: String,
    pub requests: Arc<Mutex<Vec<SessionRequest>>>,
    handle: actix_web::dev::ServerHandle,
}

impl FakeStripe {
    pub async fn start() -> Self {
        let requests: Arc<Mutex<Vec<SessionRequest>>> = Arc::default();
        let recorded = requests.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("bound").port();
        let server = HttpServer::new(move || {
            let recorded = recorded.clone();
            App::new().route(
                "/v1/checkout/sessions",
                web::post().to(move |req: actix_web::HttpRequest, form: web::Form<Vec<(String, String)>>| {
                    let recorded = recorded.clone();
                    async move {
                        let authorization = req
                            .headers()
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned();
                        recorded
                            .lock()
                            .expect("not poisoned")
                            .push(SessionRequest { form: form.into_inner(), authorization });
                        HttpResponse::Ok().json(json!({ "id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL }))
                    }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .expect("listening")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base_url: format!("http://127.0.0.1:{port}"),
            requests,
            handle,
        }
    }

    pub fn recorded(&self) -> Vec<SessionRequest> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}

/// The app under test, configured for Stripe against `stripe`.
pub async fn spawn_with_stripe(backend: Backend, stripe: &FakeStripe) -> TestApp {
    TestApp::spawn_with(
        backend,
        &[
            ("STRIPE_SECRET_KEY", "sk_test_fake"),
            ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("STRIPE_API_BASE", &stripe.base_url),
        ],
    )
    .await
}

/// A `checkout.session.completed` event for `user_id` buying `package_id`, paid at the default
/// price of that package (`CREDIT_PACKAGES`' default: starter $5, pro $40). Its metadata is a
/// session of a release before organisations: it names no organisation, and the credits go to
/// the user's personal one.
pub fn completed_checkout(
    event_id: &str,
    session_id: &str,
    user_id: i64,
    package_id: &str,
    payment_status: &str,
) -> Value {
    json!({
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": { "object": {
            "id": session_id,
            "object": "checkout.session",
            "payment_status": payment_status,
            "amount_total": match package_id { "starter" => 500, "pro" => 4000, _ => 0 },
            "currency": "usd",
            "client_reference_id": user_id.to_string(),
            "metadata": { "user_id": user_id.to_string(), "package_id": package_id, "credits": "100" }
        }}
    })
}

/// [`completed_checkout`] of a session this release creates: the metadata names the
/// organisation the credits go to, beside the member who paid.
pub fn completed_team_checkout(
    event_id: &str,
    session_id: &str,
    user_id: i64,
    org_id: i64,
    package_id: &str,
) -> Value {
    let mut event = completed_checkout(event_id, session_id, user_id, package_id, "paid");
    let session = &mut event["data"]["object"];
    session["client_reference_id"] = json!(org_id.to_string());
    session["metadata"]["organization_id"] = json!(org_id.to_string());
    event
}

/// The `Stripe-Signature` header Stripe would send for `body` at `timestamp`, with `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl TestApp {
    /// Delivers `body` to the webhook with the given `Stripe-Signature` (or none).
    pub async fn deliver_webhook(&self, body: &[u8], signature: Option<&str>) -> reqwest::Response {
        let mut request = self
            .request(
                reqwest::Method::POST,
                "/api/webhooks/stripe",
                crate::helpers::Auth::None,
            )
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request.header("Stripe-Signature", signature);
        }
        request.send().await.expect("the webhook request was sent")
    }

    /// Delivers `event` signed with the real secret, now.
    pub async fn deliver_signed(&self, event: &Value) -> reqwest::Response {
        let body = serde_json::to_vec(event).expect("JSON");
        self.deliver_webhook(&body, Some(&signature(WEBHOOK_SECRET, now(), &body)))
            .await
    }
}
