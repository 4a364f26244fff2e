//! Secure by default: every operation of the OpenAPI document (fetched from the running server)
//! answers 401 without credentials unless it is on the public allowlist below. A new route that
//! forgets its auth extractor fails here, and so does a document that calls a guarded route
//! public or a public route guarded (its `security`).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// The operations anyone may call. Adding one here is a security decision: say why in review.
const PUBLIC: &[(&str, &str)] = &[
    ("POST", "/api/auth/signup"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/token"),
    // The refresh cookie is their credential; without it they answer 401 or do nothing.
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    // The emailed token is their credential: without a live one they answer 400 and change
    // nothing. The reset request answers the same for every address.
    ("POST", "/api/auth/verify-email"),
    ("POST", "/api/auth/password-reset"),
    ("POST", "/api/auth/password-reset/confirm"),
    ("POST", "/api/auth/confirm-email-change"),
    ("GET", "/api/credits/packages"),
    // Signing in through an identity provider: which ones there are, the redirect to one, and
    // the way back, whose credential is the flow's `state` bound to the browser's cookie.
    ("GET", "/api/auth/providers"),
    ("GET", "/api/auth/oauth/{provider}/start"),
    ("GET", "/api/auth/oauth/{provider}/callback"),
    // Authenticated by Stripe's signature over the body, not by a user.
    ("POST", "/api/webhooks/stripe"),
    // A download link: its token is the credential (signed by the server, one file of one
    // organisation, 5 minutes; made by `GET /api/attachments/{id}/link`, which needs
    // `read_tasks`), like a presigned S3 URL. Anything else is 404 (`files/links.rs`).
    ("GET", "/api/attachment-links/{token}"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    // Public keys, for other services to verify tokens with.
    ("GET", "/.well-known/jwks.json"),
];

/// Every route of the v1 contract that needs credentials is in the document: fewer guarded
/// operations than this means routes went missing from it, not that they became public.
const GUARDED_AT_LEAST: usize = 22;

both_backends!(every_operation_off_the_public_list_needs_credentials);

async fn every_operation_off_the_public_list_needs_credentials(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Path parameters name things that exist: user 1, key 1.
    let user = app.new_user_with_credits(5).await;
    app.create_key(user.bearer(), "exists").await;
    let document: Value = expect_json(
        app.get("/api/openapi.json", Auth::None).await,
        StatusCode::OK,
    )
    .await;
    let operations = Operation::all(&document);
    for (method, path) in PUBLIC {
        assert!(
            operations
                .iter()
                .any(|op| op.method == *method && op.path == *path),
            "{method} {path} is on the public list but not in the document"
        );
    }

    let mut guarded = 0;
    for op in &operations {
        let public = PUBLIC.contains(&(op.method.as_str(), op.path.as_str()));
        assert_eq!(
            op.declares_security, !public,
            "{} {}: the document's `security` does not match the public list",
            op.method, op.path
        );
        if public {
            continue;
        }
        guarded += 1;
        for auth in [Auth::None, Auth::Bearer("not.a.jwt"), Auth::Key("sk_nope")] {
            let mut request = app.request(op.http_method(), &op.filled_path(|_| 1), auth);
            if let Some(body) = &op.body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .expect("the request reached the server");
            let case = format!("{} {} with {auth:?}", op.method, op.filled_path(|_| 1));
            expect_error_for(&case, response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    assert!(
        guarded >= GUARDED_AT_LEAST,
        "only {guarded} guarded operations in the document"
    );

    // Nothing happened to the user's account.
    assert_eq!(app.balance(user.bearer()).await, 5);
    assert_eq!(app.keys(user.bearer()).await.len(), 1);
}
