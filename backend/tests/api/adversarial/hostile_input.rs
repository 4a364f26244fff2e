//! Input no client should send, kept here so every `make test` tries it (the fuzzing in
//! tests/fuzz found most of it): extreme integers wherever the API takes one (bodies, paths,
//! query strings, the Stripe signature's timestamp) get an answer below 500 in the JSON contract,
//! never a dropped connection or a panic; a JSON array in place of the documented object is
//! refused. The books stay balanced. (errors/malformed_bodies.rs: broken JSON, wrong types,
//! unknown fields, oversized bodies.)

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const EXTREMES: [i64; 6] = [i64::MIN, i64::MIN + 1, -1, 0, 1 << 53, i64::MAX];
const CREDITS: i64 = 10;

both_backends!(
    extreme_integers_get_clean_4xx_answers,
    extreme_stripe_signature_times_are_400,
    arrays_in_place_of_objects_are_400_and_write_nothing
);

async fn extreme_integers_get_clean_4xx_answers(backend: Backend) {
    let server = ServerProcess::start(backend, &[]).await;
    let admin = server.new_admin().await;
    let user = server.new_browser().new_user_with_credits(CREDITS).await;

    let mut problems = Vec::new();
    for n in EXTREMES {
        let grant = json!({ "amount": n, "reason": "extreme" });
        let requests = [
            (
                Method::POST,
                format!("/api/admin/users/{}/credits", user.id),
                Some(grant),
            ),
            (
                Method::POST,
                format!("/api/admin/users/{n}/credits"),
                Some(json!({ "amount": 1, "reason": "extreme" })),
            ),
            (
                Method::PATCH,
                format!("/api/admin/users/{n}"),
                Some(json!({ "is_active": true })),
            ),
            (Method::DELETE, format!("/api/keys/{n}"), None),
            (
                Method::GET,
                format!("/api/credits/ledger?limit={n}&before={n}"),
                None,
            ),
            (Method::GET, format!("/api/credits/usage?days={n}"), None),
            (
                Method::GET,
                format!("/api/admin/users?limit={n}&before={n}"),
                None,
            ),
        ];
        for (method, path, body) in requests {
            let mut request = server.request(method.clone(), &path, admin.bearer());
            if let Some(body) = &body {
                request = request.json(body);
            }
            let case = format!("{method} {path} {}", body.unwrap_or_default());
            match Answer::of(request).await {
                None => problems.push(format!("{case}: the connection was dropped")),
                Some(answer) if answer.status.is_server_error() || !is_json(&answer.body) => {
                    problems.push(format!("{case}: {} {}", answer.status, answer.body));
                }
                Some(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} bad answers:\n{}",
        problems.len(),
        problems.join("\n")
    );
    server.assert_no_panic();
    // Only the grant of -1 could apply: the books balance.
    assert_eq!(server.balance(user.bearer()).await, CREDITS - 1);
    assert_ledger_consistent(&server, user.bearer()).await;
}

/// The webhook is public: the timestamp in `Stripe-Signature` is anyone's to choose.
async fn extreme_stripe_signature_times_are_400(backend: Backend) {
    let stripe = [
        ("STRIPE_SECRET_KEY", "sk_test_unused"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_test_0123456789abcdef"),
        // Never called: verifying a webhook needs no request to Stripe.
        ("STRIPE_API_BASE", "http://127.0.0.1:9"),
    ];
    let app = TestApp::spawn_with(backend, &stripe).await;

    let mut problems = Vec::new();
    for t in EXTREMES {
        let request = app
            .request(Method::POST, "/api/webhooks/stripe", Auth::None)
            .header("Stripe-Signature", format!("t={t},v1=00"))
            .json(&json!({ "type": "checkout.session.completed" }));
        match Answer::of(request).await {
            None => problems.push(format!("t={t}: the connection was dropped")),
            Some(answer) if answer.status != StatusCode::BAD_REQUEST => {
                problems.push(format!("t={t}: {} {}", answer.status, answer.body));
            }
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "expected 400 for each:\n{}",
        problems.join("\n")
    );
}

fn is_json(body: &str) -> bool {
    body.is_empty() || serde_json::from_str::<serde_json::Value>(body).is_ok()
}

async fn arrays_in_place_of_objects_are_400_and_write_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.new_admin().await;
    let user = app.new_browser().new_user_with_credits(CREDITS).await;
    let email = unique_email();

    // Each documented object's field values, in order, as an array: serde reads a struct from a
    // sequence unless told not to.
    let cases: [(Method, String, Value, Auth<'_>); 5] = [
        (
            Method::POST,
            "/api/auth/signup".into(),
            json!([email, PASSWORD]),
            Auth::None,
        ),
        (
            Method::POST,
            "/api/generate-text".into(),
            json!(["charged?"]),
            user.bearer(),
        ),
        (
            Method::POST,
            "/api/keys".into(),
            json!(["minted?"]),
            user.bearer(),
        ),
        (
            Method::POST,
            format!("/api/admin/users/{}/credits", user.id),
            json!([5, "gift?"]),
            admin.bearer(),
        ),
        (
            Method::PATCH,
            format!("/api/admin/users/{}", user.id),
            json!([false, null]),
            admin.bearer(),
        ),
    ];
    let mut accepted = Vec::new();
    for (method, path, body, auth) in cases {
        let request = app.request(method.clone(), &path, auth).json(&body);
        let answer = Answer::of(request).await.expect("an answer");
        let refused = answer.status == StatusCode::BAD_REQUEST
            && answer.body.contains("\"validation_error\"");
        if !refused {
            accepted.push(format!(
                "{method} {path} {body}: {} {}",
                answer.status, answer.body
            ));
        }
    }
    assert!(
        accepted.is_empty(),
        "arrays taken for objects (expected 400 validation_error):\n{}",
        accepted.join("\n")
    );

    let signup = app.new_browser().try_login(&email, PASSWORD).await;
    expect_error(signup, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(
        app.balance(user.bearer()).await,
        CREDITS,
        "active, nothing spent or granted"
    );
    assert!(app.keys(user.bearer()).await.is_empty());
}
