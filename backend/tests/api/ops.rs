//! Operating the service: health, request ids, the API document, rate limits, production mode,
//! configuration, security headers, CORS, the SPA's files, body limits, and the real binary's
//! start-up, log and shutdown.

mod body_limits;
mod config;
mod cors;
mod health;
mod idempotency_layout;
mod logs;
mod openapi;
mod prod_mode;
mod rate_limit;
mod request_id;
mod security_headers;
mod shutdown;
mod spa;
mod startup;
mod upgrade;
