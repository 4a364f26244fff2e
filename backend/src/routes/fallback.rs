//! What unmatched requests under `/api` and the probes get: 405 with `Allow` when the path exists
//! for other methods (the OpenAPI document knows every route), else 404; JSON either way.

use std::sync::Arc;

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    http::{Method, header},
    web,
};
use utoipa::openapi::{self, PathItem};

use crate::error::ApiError;

/// Every documented route: its path template's segments and its methods.
pub struct RouteTable(Vec<(Vec<String>, Vec<Method>)>);

impl RouteTable {
    pub fn new(api: &openapi::OpenApi) -> Arc<Self> {
        Arc::new(Self(
            api.paths
                .paths
                .iter()
                .map(|(path, item)| (segments(path), methods(item)))
                .collect(),
        ))
    }

    /// The methods a documented route allows at `path`, if any route matches it.
    fn allowed_methods(&self, path: &str) -> Option<&[Method]> {
        let wanted = segments(path);
        self.0
            .iter()
            .find(|(template, _)| {
                template.len() == wanted.len()
                    && template
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| t == w || (t.starts_with('{') && !w.is_empty()))
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

fn methods(item: &PathItem) -> Vec<Method> {
    [
        (&item.get, Method::GET),
        (&item.post, Method::POST),
        (&item.put, Method::PUT),
        (&item.patch, Method::PATCH),
        (&item.delete, Method::DELETE),
    ]
    .into_iter()
    .filter_map(|(op, method)| op.as_ref().map(|_| method))
    .collect()
}

/// Unmatched `/api` requests: 405 (with `Allow`) when the path exists for other methods, else 404.
pub(crate) async fn not_found_or_method_not_allowed(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
) -> HttpResponse {
    match routes.allowed_methods(req.path()) {
        Some(methods) if !methods.contains(req.method()) => {
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            let mut res = ApiError::MethodNotAllowed.error_response();
            if let Ok(value) = header::HeaderValue::from_str(&allow) {
                res.headers_mut().insert(header::ALLOW, value);
            }
            res
        }
        _ => ApiError::NotFound("route").error_response(),
    }
}
