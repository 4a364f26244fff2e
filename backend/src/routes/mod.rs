//! The HTTP surface, one module per route group. Handlers are thin: parse, call the models,
//! shape the response. Each is annotated for the OpenAPI document (`docs`).

mod admin;
mod attachments;
mod auth;
mod credits;
mod demo;
pub mod docs;
mod email;
mod fallback;
mod health;
mod identities;
mod invitations;
mod keys;
mod me;
mod members;
mod oauth;
mod orgs;
pub mod spa;
mod tasks;
mod webhooks;
mod well_known;

use actix_web::{
    http::header,
    middleware::{DefaultHeaders, from_fn},
    web,
};
use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::http::{cross_site, rate_limit};

pub use fallback::RouteTable;

/// Registers every route: `/api/...`, the health probes and the token keys.
pub fn configure(cfg: &mut ServiceConfig) {
    let api = scope("/api")
        .wrap(from_fn(cross_site::refuse_cross_site))
        .wrap(from_fn(rate_limit::enforce))
        // Tokens, new keys, balances, personal data: no cache may keep an /api answer unless
        // its route says otherwise (the docs' assets do).
        .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
        .configure(auth::configure)
        .configure(oauth::configure)
        .configure(email::configure)
        .configure(me::configure)
        .configure(identities::configure)
        .configure(keys::configure)
        .configure(orgs::configure)
        .configure(members::configure)
        .configure(invitations::configure)
        .configure(credits::configure)
        .configure(tasks::configure)
        .configure(attachments::configure)
        .configure(admin::configure)
        .configure(demo::configure)
        .configure(webhooks::configure);
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(well_known::jwks);
    // Other methods on these: 405 with Allow, not the SPA's fallback.
    for path in ["/healthz", "/readyz", "/.well-known/jwks.json"] {
        cfg.route(
            path,
            web::route().to(fallback::not_found_or_method_not_allowed),
        );
    }
    cfg.service(docs::configure(api));
}

/// The README section `heading` shows `file`'s code as it is: its first Rust block names the
/// file on its first line, and each part between `// ...` lines is in `source` word for word.
#[cfg(test)]
fn assert_readme_shows(heading: &str, file: &str, source: &str) {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("the README has the section {heading}"));
    let snippet = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a rust block");
    let body = snippet
        .strip_prefix(&format!("// {file}\n"))
        .expect("the block names the file first");
    for part in body.split("// ...\n") {
        let part = part.trim_matches('\n');
        assert!(!part.is_empty());
        assert!(
            source.contains(part),
            "README.md shows code that is not in {file}:\n{part}"
        );
    }
}
