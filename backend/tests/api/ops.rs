//! Operating the service: health, request ids, the API document, rate limits, production mode
//! and configuration.

mod config;
mod health;
mod openapi;
mod prod_mode;
mod rate_limit;
mod request_id;
