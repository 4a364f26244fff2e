//! The HTTP surface, one module per route group. Handlers are thin: parse, call the models,
//! shape the response.

mod admin;
mod auth;
mod credits;
mod demo;
mod health;
mod keys;
mod me;
pub mod spa;

use actix_web::web;

/// Registers every route: `/api/...` and the health probes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").get(health::healthz))
        .service(web::resource("/readyz").get(health::readyz))
        .service(
            web::scope("/api")
                .wrap(actix_web::middleware::from_fn(
                    crate::http::rate_limit::enforce,
                ))
                .configure(auth::configure)
                .configure(me::configure)
                .configure(keys::configure)
                .configure(credits::configure)
                .configure(admin::configure)
                .configure(demo::configure)
                .default_service(web::to(|| async {
                    Err::<web::Json<()>, _>(crate::error::ApiError::NotFound("route"))
                })),
        );
}
