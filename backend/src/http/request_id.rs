//! `X-Request-ID`: a valid inbound id (from a proxy or the client) is kept, anything else is
//! replaced by a fresh UUID. The id is on every response and in every log line of the request
//! (through the root span below), so a user's bug report leads straight to the log.

use std::time::Instant;

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_LEN: usize = 128;

/// The id of the current request, in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The authenticated user of the request, recorded by the auth extractors for the request log.
#[derive(Debug, Clone, Copy)]
pub struct RequestUser(pub i64);

struct StartedAt(Instant);

fn is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Outermost middleware: picks the id, then stamps it on the response, whatever produced it.
pub async fn assign(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let inbound = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_valid(v));
    let id = inbound.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    req.extensions_mut().insert(StartedAt(Instant::now()));
    let mut res = next.call(req).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HEADER, value);
    }
    Ok(res)
}

/// Paths that carry a credential after this (a download link's token): logged without it.
const SECRET_AFTER: &[&str] = &["/attachment-links/"];

/// `path` as the log may show it: a credential in it replaced by `{token}`. Matched on the path
/// as routing sees it (percent-decoded), so no spelling of the route slips its token through.
fn loggable_path<'a>(path: &'a str, routed: &str) -> std::borrow::Cow<'a, str> {
    for marker in SECRET_AFTER {
        if let Some(at) = routed.find(marker) {
            let kept = &routed[..at + marker.len()];
            return format!("{kept}{{token}}").into();
        }
    }
    path.into()
}

/// The request's tracing span (every log line inside carries `request_id`) and the one line
/// logged per request. Query strings, headers and bodies are never logged: they may hold secrets;
/// nor are the credentials some paths carry (`loggable_path`).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        let path = loggable_path(request.path(), request.match_info().as_str());
        tracing::info_span!("request", request_id = %id, method = %request.method(), path = %path)
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let Ok(res) = outcome else { return };
        let extensions = res.request().extensions();
        let latency_ms = extensions
            .get::<StartedAt>()
            .map(|s| s.0.elapsed().as_secs_f64() * 1000.0);
        let user_id = extensions.get::<RequestUser>().map(|u| u.0);
        let status = res.status().as_u16();
        span.in_scope(|| {
            if res.status().is_server_error() {
                tracing::error!(status, latency_ms, user_id, "request failed");
            } else {
                tracing::info!(status, latency_ms, user_id, "request");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{is_valid, loggable_path};

    #[test]
    fn a_links_token_is_not_logged() {
        let token = "eyJ0eXAi.eyJhdHQiOjF9.c2ln";
        let path = format!("/api/attachment-links/{token}");
        assert_eq!(loggable_path(&path, &path), "/api/attachment-links/{token}");
        // However the client spells the path, as long as routing reads it so.
        let spelled = format!("/api/attachment%2Dlinks/{token}");
        assert_eq!(
            loggable_path(&spelled, &path),
            "/api/attachment-links/{token}"
        );
        assert_eq!(
            loggable_path("/api/attachments/7", "/api/attachments/7"),
            "/api/attachments/7"
        );
    }

    #[test]
    fn accepts_safe_ids_only() {
        assert!(is_valid("3f2b9c1e-0a4d-4e55-9a7e-1c2b3d4e5f60"));
        assert!(is_valid("req_01:abc.def"));
        for bad in ["", "a b", "x\ny", "<script>", &"a".repeat(129), "ünïcode"] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }
}
