//! examples/verify-token, the verifier another team copies, against the real server: it learns
//! the keys from the JWKS once and caches them, follows a key rotation while it runs (one fetch
//! for the unknown `kid`), refuses forged `kid`s without fetching again, and its `/whoami` says
//! who the caller is.

use actix_web::{App, http::StatusCode as ActixStatus, test as actix_test, web};
use backend::auth::signing_key::SigningKey;
use jsonwebtoken::{Algorithm, Header};
use test_support::TEST_SIGNING_KEY;
use verify_token::{Caller, Verifier, VerifierConfig, VerifyError, whoami};

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_verifier_follows_a_rotation_while_it_runs() {
    // One address across restarts: the verifier keeps its JWKS URL, as in production.
    let port = test_support::free_port().expect("a free port");
    let bind = format!("127.0.0.1:{port}");
    let issuer = format!("http://127.0.0.1:{port}");
    let (new_key, new) = SigningKey::generate().expect("a key");
    let server = ServerProcess::start(
        Backend::Sqlite,
        &[("BIND_ADDR", &bind), ("PUBLIC_URL", &issuer)],
    )
    .await;
    let user = server.new_user().await;
    let verifier = web::Data::new(Verifier::new(VerifierConfig::new(&issuer, "SaaS Starter")));

    let caller = verifier.verify(&user.token).await.expect("a genuine token");
    assert_eq!(
        (caller.user_id, caller.organization_id),
        (user.id, user.org_id)
    );
    verifier.verify(&user.token).await.expect("again");
    assert_eq!(verifier.fetches(), 1, "the key set is cached");
    let elsewhere = Verifier::new(VerifierConfig::new(&issuer, "another-api"));
    assert!(matches!(
        elsewhere.verify(&user.token).await,
        Err(VerifyError::Invalid(_))
    ));

    // The new key signs from the next deploy on, while the verifier still caches the old set.
    let server = server
        .restart_with(&[("JWT_SIGNING_KEYS", &format!("{new}{TEST_SIGNING_KEY}"))])
        .await;
    let fresh = server.login(&user.email, PASSWORD).await.access_token;
    let caller = verifier
        .verify(&fresh)
        .await
        .expect("a token of the new key");
    assert_eq!(caller.user_id, user.id);
    assert_eq!(verifier.fetches(), 2, "one fetch for the unknown kid");
    verifier
        .verify(&user.token)
        .await
        .expect("the old key is still listed");

    // A forged kid right after: refused, and the issuer is not asked again.
    let (forger, _) = SigningKey::generate().expect("a key");
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(forger.kid.clone());
    let claims = serde_json::json!({
        "sub": user.id.to_string(), "org": user.org_id, "exp": caller.expires_at,
        "iss": issuer, "aud": "SaaS Starter",
    });
    let forged = jsonwebtoken::encode(&header, &claims, &forger.encoding).expect("signed");
    assert!(matches!(
        verifier.verify(&forged).await,
        Err(VerifyError::UnknownKey)
    ));
    let mut under_our_kid = header.clone();
    under_our_kid.kid = Some(new_key.kid.clone());
    let forged = jsonwebtoken::encode(&under_our_kid, &claims, &forger.encoding).expect("signed");
    assert!(matches!(
        verifier.verify(&forged).await,
        Err(VerifyError::Invalid(_))
    ));
    assert_eq!(verifier.fetches(), 2);

    // The service a team runs: who the caller is, or 401.
    let service =
        actix_test::init_service(App::new().app_data(verifier.clone()).service(whoami)).await;
    let request = actix_test::TestRequest::get()
        .uri("/whoami")
        .insert_header(("Authorization", format!("Bearer {fresh}")))
        .to_request();
    let answer: Caller = actix_test::call_and_read_body_json(&service, request).await;
    assert_eq!(answer.user_id, user.id);
    let anonymous = actix_test::TestRequest::get().uri("/whoami").to_request();
    let response = actix_test::call_service(&service, anonymous).await;
    assert_eq!(response.status(), ActixStatus::UNAUTHORIZED);
    drop(server);
}
