//! A service that knows who its callers are from the starter's access tokens alone:
//! `JWT_ISSUER=https://app.example.com cargo run -p verify-token`, then
//! `curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:9000/whoami`.
//! Settings: `JWT_ISSUER`, `JWT_AUDIENCE`, `JWKS_URL`, `JWKS_CACHE_TTL_SECONDS`, `BIND_ADDR`.

use actix_web::{App, HttpServer, web};
use verify_token::{Verifier, VerifierConfig, whoami};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let config = VerifierConfig::from_env().map_err(std::io::Error::other)?;
    let bind = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:9000".to_owned());
    println!(
        "verifying tokens of {} on http://{bind}/whoami",
        config.issuer
    );
    let verifier = web::Data::new(Verifier::new(config));
    HttpServer::new(move || App::new().app_data(verifier.clone()).service(whoami))
        .bind(bind)?
        .run()
        .await
}
