//! Forged access tokens. Every way of bending a JWT is refused with 401 `unauthorized`, spends
//! nothing and reveals nothing. A token the test signs the way the server does is accepted, so
//! each refusal is about the forgery, not about how the test builds tokens.
//!
//! (Elsewhere: the token of a disabled user in access/disabled.rs, tokens outliving logout-all in
//! auth/revocation.rs, a revoked key in keys/succeeds.rs, another user's key in keys/refused.rs,
//! refresh-token reuse in auth/revocation.rs.)

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::dto::User;

use crate::helpers::*;

/// What the server puts in `iss` and `aud`, and accepts there.
const ISSUER: &str = "saas-starter";
const AUDIENCE: &str = "saas-starter-api";
/// Far beyond the server's 5 s leeway.
const FAR: i64 = 600;
/// base64url of `{"alg":"none","typ":"JWT"}`.
const NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
/// base64url of `{"alg":"RS256","typ":"JWT"}`.
const RS256_HEADER: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";
const FOREIGN_SECRET: &str = "not-the-server-secret-0123456789abcdef";
const VICTIM_CREDITS: i64 = 10;

both_backends!(
    forged_tokens_are_401_and_spend_nothing,
    tokens_naming_no_existing_user_are_401
);

async fn forged_tokens_are_401_and_spend_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let victim = app.new_user_with_credits(VICTIM_CREDITS).await;
    let attacker = app.new_browser().new_user().await;
    let minter = Minter::of(&app);
    let genuine = minter.sign(&claims(&victim), Algorithm::HS256);
    let me: User = expect_json(app.try_me(Auth::Bearer(&genuine)).await, StatusCode::OK).await;
    assert_eq!(
        me.id, victim.id,
        "a token signed as the server does names its user"
    );

    let (header, payload, signature) = segments(&genuine);
    let attackers_own = minter.sign(&claims(&attacker), Algorithm::HS256);
    let with_claim = |name: &str, value: Value| {
        let mut claims = claims(&victim);
        claims[name] = value;
        minter.sign(&claims, Algorithm::HS256)
    };
    let now = chrono::Utc::now().timestamp();
    let mut without_expiry = claims(&victim);
    without_expiry
        .as_object_mut()
        .expect("claims are an object")
        .remove("exp");
    let forgeries = [
        (
            "alg none, no signature",
            format!("{NONE_HEADER}.{payload}."),
        ),
        (
            "alg none, the signature kept",
            format!("{NONE_HEADER}.{payload}.{signature}"),
        ),
        ("no signature", format!("{header}.{payload}.")),
        (
            "HS512 with the server's secret",
            minter.sign(&claims(&victim), Algorithm::HS512),
        ),
        (
            "HS384 with the server's secret",
            minter.sign(&claims(&victim), Algorithm::HS384),
        ),
        (
            "RS256 header, HMAC-SHA256 signature with the secret (key confusion)",
            minter.sign_raw(RS256_HEADER, payload),
        ),
        (
            "the victim's payload under the attacker's signature",
            format!("{header}.{payload}.{}", segments(&attackers_own).2),
        ),
        (
            "signed with another secret",
            Minter::with_secret(FOREIGN_SECRET).sign(&claims(&victim), Algorithm::HS256),
        ),
        ("expired", with_claim("exp", json!(now - FAR))),
        ("not valid yet", with_claim("nbf", json!(now + FAR))),
        ("another audience", with_claim("aud", json!("another-api"))),
        ("another issuer", with_claim("iss", json!("someone-else"))),
        ("a token version never issued", with_claim("ver", json!(7))),
        // Signed by the server, but for an organisation the victim is not a member of.
        (
            "another organisation's wallet",
            with_claim("org", json!(attacker.org_id)),
        ),
        ("no organisation", {
            let mut claims = claims(&victim);
            claims.as_object_mut().expect("an object").remove("org");
            minter.sign(&claims, Algorithm::HS256)
        }),
        ("no expiry", minter.sign(&without_expiry, Algorithm::HS256)),
    ];

    for (forgery, token) in &forgeries {
        assert_refused(&app, forgery, token).await;
    }

    // Nothing was spent, nothing else was written.
    assert_eq!(app.balance(victim.bearer()).await, VICTIM_CREDITS);
    assert_eq!(app.ledger(victim.bearer()).await.len(), 1, "the grant only");
    assert!(app.keys(victim.bearer()).await.is_empty());
    assert_eq!(app.balance(attacker.bearer()).await, 0);
}

async fn tokens_naming_no_existing_user_are_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.new_user_with_credits(VICTIM_CREDITS).await;
    let minter = Minter::of(&app);

    // No route deletes a user: a deleted user is an id with no row. A `sub` that is no id at all
    // must not reach the database either.
    for sub in [json!("987654321"), json!("-1"), json!("1 OR 1=1"), json!(1)] {
        let mut claims = claims(&user);
        claims["sub"] = sub.clone();
        let token = minter.sign(&claims, Algorithm::HS256);
        assert_refused(&app, &format!("sub {sub}"), &token).await;
    }

    assert_eq!(app.balance(user.bearer()).await, VICTIM_CREDITS);
    assert!(app.keys(user.bearer()).await.is_empty());
}

/// `token` gets 401 `unauthorized` on a read, a paid call and a session-only write.
async fn assert_refused(app: &TestApp, case: &str, token: &str) {
    let auth = Auth::Bearer(token);
    let responses = [
        ("GET /api/me", app.try_me(auth).await),
        (
            "POST /api/generate-text",
            app.try_generate(auth, "forged").await,
        ),
        ("POST /api/keys", app.try_create_key(auth, "forged").await),
    ];
    for (route, response) in responses {
        let case = format!("{case}: {route}");
        expect_error_for(&case, response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

/// The claims the server issues for `user`'s first session (token version 0), acting in the
/// organisation they act in.
fn claims(user: &TestUser) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": user.id.to_string(),
        "ver": 0,
        "sid": 1,
        "org": user.org_id,
        "iat": now,
        "nbf": now,
        "exp": now + 900,
        "iss": ISSUER,
        "aud": AUDIENCE,
    })
}

/// `header.payload.signature`, split.
fn segments(token: &str) -> (&str, &str, &str) {
    let mut parts = token.splitn(3, '.');
    let mut next = || parts.next().expect("a JWT has three segments");
    (next(), next(), next())
}

/// Signs tokens with an HMAC secret: the server's (read from its settings) or another.
struct Minter {
    key: EncodingKey,
}

impl Minter {
    fn of(app: &TestApp) -> Self {
        Self::with_secret(app.setting("JWT_SECRET"))
    }

    fn with_secret(secret: &str) -> Self {
        Self {
            key: EncodingKey::from_secret(secret.as_bytes()),
        }
    }

    fn sign(&self, claims: &Value, algorithm: Algorithm) -> String {
        jsonwebtoken::encode(&Header::new(algorithm), claims, &self.key).expect("a signed token")
    }

    /// Any header with an HS256 signature of `header.payload`.
    fn sign_raw(&self, header: &str, payload: &str) -> String {
        let message = format!("{header}.{payload}");
        let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &self.key, Algorithm::HS256)
            .expect("a signature");
        format!("{message}.{signature}")
    }
}
