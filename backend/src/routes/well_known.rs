//! `/.well-known/jwks.json`: the public keys of the access tokens, for other services to verify
//! them without asking us (examples/verify-token shows how).

use actix_web::{HttpResponse, get, http::header};

use crate::state::State;

/// How long verifiers may cache the key set. A new key is published here one deploy before it
/// signs (README, "Rotating the signing key"), so a cache this old still knows it; a verifier
/// that meets an unknown `kid` refetches anyway.
const MAX_AGE_SECONDS: u32 = 300;

/// The public keys that verify access tokens (current and previous), as a JSON Web Key Set.
#[utoipa::path(
    get,
    tag = "auth",
    responses((
        status = 200,
        description = "The JWK Set (RFC 7517): Ed25519 keys (`kty` OKP, `alg` EdDSA) by `kid`; \
                       cacheable for five minutes",
        content_type = "application/json",
        body = Object,
    ))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(header::ContentType::json())
        .insert_header((
            header::CACHE_CONTROL,
            format!("public, max-age={MAX_AGE_SECONDS}"),
        ))
        .body(state.jwt.jwks().to_owned())
}
