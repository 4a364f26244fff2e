//! Access tokens other services verify: `/.well-known/jwks.json` publishes the Ed25519 keys
//! (never their private halves), a token from sign-in verifies with the published key and names
//! its issuer and audience, a rotation by `JWT_SIGNING_KEYS` keeps earlier tokens valid while
//! their key is listed, and dev mode makes its key once, readable by its owner only.
//!
//! (Forged tokens, `alg: none`, HMAC with the public key, unpublished keys: adversarial/tokens.rs.
//! Refused settings: ops/config.rs, adversarial/prod_guards.rs.)

use backend::auth::signing_key::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use reqwest::{StatusCode, header};
use serde_json::Value;

use crate::helpers::*;

const PUBLIC_URL: &str = "https://app.example.com";

both_backends!(published_keys_verify_the_tokens_the_server_issues);

async fn published_keys_verify_the_tokens_the_server_issues(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("PUBLIC_URL", PUBLIC_URL), ("JWT_AUDIENCE", "acme-api")],
    )
    .await;
    let user = app.new_user().await;

    let response = app.try_jwks().await;
    assert_eq!(response.status(), StatusCode::OK);
    let cache = response.headers()[header::CACHE_CONTROL].to_str().unwrap();
    assert!(
        cache.contains("max-age=300"),
        "verifiers may cache it: {cache}"
    );
    let jwks: Value = response.json().await.expect("JSON");
    let published = jwks["keys"].as_array().expect("a key list");
    assert_eq!(published.len(), 1);
    for (field, value) in [
        ("kty", "OKP"),
        ("crv", "Ed25519"),
        ("alg", "EdDSA"),
        ("use", "sig"),
    ] {
        assert_eq!(published[0][field], value, "{field}");
    }
    assert!(
        published[0].get("d").is_none(),
        "the private half is never published"
    );

    // What another service does: pick the key by the token's kid, check everything.
    let header = jsonwebtoken::decode_header(&user.token).expect("a JWT header");
    assert_eq!(header.alg, Algorithm::EdDSA);
    let kid = header.kid.expect("tokens name their key");
    let set: JwkSet = serde_json::from_value(jwks).expect("a JWK Set");
    let jwk = set.find(&kid).expect("the token's key is published");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[PUBLIC_URL]);
    validation.set_audience(&["acme-api"]);
    let key = DecodingKey::from_jwk(jwk).expect("an Ed25519 key");
    let claims = jsonwebtoken::decode::<Value>(&user.token, &key, &validation)
        .expect("the token verifies with the published key")
        .claims;
    assert_eq!(claims["sub"], user.id.to_string());

    let mut another_audience = validation.clone();
    another_audience.set_audience(&["another-api"]);
    assert!(jsonwebtoken::decode::<Value>(&user.token, &key, &another_audience).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_keeps_earlier_tokens_valid_until_their_key_is_removed() {
    let old = test_support::TEST_SIGNING_KEY;
    let (new_key, new) = SigningKey::generate().expect("a key");
    let server = ServerProcess::start(Backend::Sqlite, &[("JWT_SIGNING_KEYS", old)]).await;
    let user = server.new_user().await;
    let old_kid = kid_of(&user.token);

    // 1. The new key is added second: published, not signing yet.
    let server = server
        .restart_with(&[("JWT_SIGNING_KEYS", &format!("{old}{new}"))])
        .await;
    assert_eq!(
        published_kids(&server).await,
        [old_kid.as_str(), &new_key.kid]
    );
    assert_eq!(
        kid_of(&server.login(&user.email, PASSWORD).await.access_token),
        old_kid
    );

    // 2. The new key signs; tokens of the old one still work.
    let server = server
        .restart_with(&[("JWT_SIGNING_KEYS", &format!("{new}{old}"))])
        .await;
    let fresh = server.login(&user.email, PASSWORD).await.access_token;
    assert_eq!(kid_of(&fresh), new_key.kid);
    assert_eq!(server.me(Auth::Bearer(&user.token)).await.id, user.id);
    assert_eq!(server.me(Auth::Bearer(&fresh)).await.id, user.id);

    // 3. The old key is removed (after the access-token lifetime): its tokens are refused.
    let server = server.restart_with(&[("JWT_SIGNING_KEYS", &new)]).await;
    assert_eq!(published_kids(&server).await, [new_key.kid.as_str()]);
    let refused = server.try_me(Auth::Bearer(&user.token)).await;
    expect_error(refused, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(server.me(Auth::Bearer(&fresh)).await.id, user.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_mode_makes_its_key_once_in_data_for_its_owner_only() {
    // A blank setting is an unset one.
    let server = ServerProcess::start(Backend::Sqlite, &[("JWT_SIGNING_KEYS", "")]).await;
    let user = server.new_user().await;
    let path = server.working_dir().join("data/jwt-signing-key.pem");
    let pem = std::fs::read_to_string(&path).expect("the dev key is kept in data/");
    let kept = SigningKey::from_pem(&pem).expect("an Ed25519 key");
    assert_eq!(kid_of(&user.token), kept.kid, "the kept key signs");
    assert_eq!(published_kids(&server).await, [kept.kid.as_str()]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    let output = server.output();
    assert!(
        output.stdout.contains("JWT_SIGNING_KEYS is not set"),
        "the start-up says where tokens' key comes from:\n{output}"
    );
}

fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token)
        .expect("a JWT header")
        .kid
        .expect("a kid")
}

async fn published_kids(server: &TestApp) -> Vec<String> {
    server.jwks().await["keys"]
        .as_array()
        .expect("a key list")
        .iter()
        .map(|key| key["kid"].as_str().expect("a kid").to_owned())
        .collect()
}
