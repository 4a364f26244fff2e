//! Cross-cutting HTTP concerns, applied to every request in `lib.rs`: request ids and the
//! request log, rate limits, CORS and security headers.

pub mod client_ip;
pub mod cors;
pub mod cross_site;
pub mod etag;
pub mod json;
pub mod openapi;
pub mod rate_limit;
pub mod readiness;
pub mod request_id;
pub mod security_headers;
