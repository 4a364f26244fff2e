//! Forged access tokens. Every way of bending a JWT is refused with 401 `unauthorized`, spends
//! nothing and reveals nothing. A token the test signs the way the server does is accepted, so
//! each refusal is about the forgery, not about how the test builds tokens.
//!
//! (Elsewhere: the token of a disabled user in access/disabled.rs, tokens outliving logout-all in
//! auth/revocation.rs, a revoked key in keys/succeeds.rs, another user's key in keys/refused.rs,
//! refresh-token reuse in auth/revocation.rs.)

use backend::auth::signing_key::SigningKey;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::dto::User;

use crate::helpers::*;

/// What the server puts in `iss` and `aud`, and accepts there: in dev mode without `PUBLIC_URL`
/// and `JWT_AUDIENCE`, where `make run` serves and the app's name.
const ISSUER: &str = "http://127.0.0.1:8000";
const AUDIENCE: &str = "SaaS Starter";
/// Far beyond the server's 5 s leeway.
const FAR: i64 = 600;
/// base64url of `{"alg":"none","typ":"JWT"}`.
const NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
const VICTIM_CREDITS: i64 = 10;

both_backends!(
    forged_tokens_are_401_and_spend_nothing,
    tokens_naming_no_existing_user_are_401
);

async fn forged_tokens_are_401_and_spend_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let victim = app.new_user_with_credits(VICTIM_CREDITS).await;
    let attacker = app.new_browser().new_user().await;
    let minter = Minter::of(&app).await;
    let genuine = minter.sign(&claims(&victim));
    let me: User = expect_json(app.try_me(Auth::Bearer(&genuine)).await, StatusCode::OK).await;
    assert_eq!(
        me.id, victim.id,
        "a token signed as the server does names its user"
    );

    let (header, payload, signature) = segments(&genuine);
    let attackers_own = minter.sign(&claims(&attacker));
    let with_claim = |name: &str, value: Value| {
        let mut claims = claims(&victim);
        claims[name] = value;
        minter.sign(&claims)
    };
    let unpublished = Minter::unpublished();
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
            "HS256 keyed with the published public key (key confusion)",
            minter.hmac(Algorithm::HS256, Some(&minter.kid), payload),
        ),
        (
            "HS512 keyed with the published public key, no kid",
            minter.hmac(Algorithm::HS512, None, payload),
        ),
        (
            "RS256 header over an HMAC signature",
            minter.hmac(Algorithm::RS256, Some(&minter.kid), payload),
        ),
        (
            "the victim's payload under the attacker's signature",
            format!("{header}.{payload}.{}", segments(&attackers_own).2),
        ),
        (
            "an unpublished key under the server's kid",
            unpublished.sign_as(&claims(&victim), Some(&minter.kid)),
        ),
        (
            "an unpublished key under its own kid",
            unpublished.sign(&claims(&victim)),
        ),
        (
            "the server's key, no kid",
            minter.sign_as(&claims(&victim), None),
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
            minter.sign(&claims)
        }),
        ("no expiry", minter.sign(&without_expiry)),
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
    let minter = Minter::of(&app).await;

    // No route deletes a user: a deleted user is an id with no row. A `sub` that is no id at all
    // must not reach the database either.
    for sub in [json!("987654321"), json!("-1"), json!("1 OR 1=1"), json!(1)] {
        let mut claims = claims(&user);
        claims["sub"] = sub.clone();
        let token = minter.sign(&claims);
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

/// Signs tokens with an Ed25519 key, the server's (read from its settings, under the `kid` its
/// JWKS publishes) or another.
struct Minter {
    key: EncodingKey,
    kid: String,
    /// The public key's bytes (the JWK's `x`), which an attacker knows.
    public: Vec<u8>,
}

impl Minter {
    async fn of(app: &TestApp) -> Self {
        let key = SigningKey::from_pem(app.setting("JWT_SIGNING_KEYS")).expect("the server's key");
        let jwks = app.jwks().await;
        let kid = jwks["keys"][0]["kid"].as_str().expect("a published kid");
        assert_eq!(kid, key.kid, "the server publishes the key it signs with");
        Self::from(key)
    }

    fn unpublished() -> Self {
        Self::from(SigningKey::generate().expect("a key").0)
    }

    fn from(key: SigningKey) -> Self {
        let jwk = serde_json::to_value(&key.jwk).expect("a JWK");
        let public = URL_SAFE_NO_PAD
            .decode(jwk["x"].as_str().expect("x"))
            .expect("base64url");
        Self {
            key: key.encoding,
            kid: key.kid,
            public,
        }
    }

    fn sign(&self, claims: &Value) -> String {
        self.sign_as(claims, Some(&self.kid))
    }

    fn sign_as(&self, claims: &Value, kid: Option<&str>) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &self.key).expect("a signed token")
    }

    /// A header claiming `algorithm` over an HMAC-SHA256 signature of `header.payload` keyed
    /// with the public key: what a verifier that trusts the header's `alg` would accept.
    fn hmac(&self, algorithm: Algorithm, kid: Option<&str>, payload: &str) -> String {
        let mut header = Header::new(algorithm);
        header.kid = kid.map(str::to_owned);
        let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("a header"));
        let message = format!("{header}.{payload}");
        let signature = jsonwebtoken::crypto::sign(
            message.as_bytes(),
            &EncodingKey::from_secret(&self.public),
            Algorithm::HS256,
        )
        .expect("a signature");
        format!("{message}.{signature}")
    }
}
