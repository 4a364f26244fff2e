//! Cross-site requests to the routes that set or clear the refresh cookie (`/api/auth/*`) are
//! refused (but an identity provider's redirect back to its callback): another site must not sign a visitor in to an account of its choosing (login CSRF)
//! or sign them out. Browsers say where a request comes from: `Sec-Fetch-Site` (every current
//! browser), else `Origin`. Scripts and curl send neither and pass, as do the origins of
//! `CORS_ORIGINS`, which the operator trusts.

use actix_web::{
    Error, HttpRequest, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web,
};

use crate::{error::ApiError, state::AppState};

/// Middleware for the `/api/auth/` routes.
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.config.cors_origins.as_slice())
        .unwrap_or_default();
    let path = req.path();
    if path.starts_with("/api/auth/")
        && !is_provider_callback(path)
        && is_cross_site(req.request(), trusted)
    {
        let refused = ApiError::Forbidden("cross-site requests cannot sign in or out");
        return Ok(req
            .into_response(refused.error_response())
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// An identity provider's redirect back is cross-site by nature; its `state`, which must match
/// the cookie of the browser that began the flow, is what refuses a planted sign-in there.
fn is_provider_callback(path: &str) -> bool {
    path.strip_prefix("/api/auth/oauth/")
        .and_then(|rest| rest.strip_suffix("/callback"))
        .is_some_and(|provider| !provider.is_empty() && !provider.contains('/'))
}

fn is_cross_site(req: &HttpRequest, trusted: &[String]) -> bool {
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    let origin = header(header::ORIGIN);
    if origin.is_some_and(|o| trusted.iter().any(|t| t == o)) {
        return false;
    }
    match header(header::HeaderName::from_static("sec-fetch-site")) {
        Some(site) => site != "same-origin" && site != "none",
        // An older browser: its Origin must name this host.
        None => origin.is_some_and(|o| {
            let host = o.split_once("://").map_or(o, |(_, host)| host);
            Some(host) != header(header::HOST)
        }),
    }
}
