//! The built SPA from `STATIC_DIR`: files as they are (gzip when the browser accepts it),
//! `index.html` for every other GET outside `/api` (client-side routes), long cache lifetimes
//! for content-hashed assets and none for `index.html`, so a deploy is picked up at once.

use std::path::Path;

use actix_files::{Files, NamedFile};
use actix_web::{
    Error, HttpRequest, HttpResponse,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse, fn_service},
    http::{
        Method,
        header::{self, CacheControl, CacheDirective, ContentEncoding, HeaderValue},
    },
    middleware::{Compress, Next, from_fn},
    web,
};

use crate::{error::ApiError, state::State};

/// Registers the SPA; call it after every other service, it answers all that is left.
pub fn configure(static_dir: &Path) -> impl FnOnce(&mut web::ServiceConfig) {
    let dir = static_dir.to_path_buf();
    move |cfg| {
        let index = dir.join("index.html");
        let fallback = fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let res = index_or_not_found(&req, &index).await;
                Ok(ServiceResponse::new(req, res))
            }
        });
        let mut scope = web::scope("")
            .wrap(from_fn(precompressed))
            .wrap(from_fn(cache_headers))
            .wrap(Compress::default());
        if dir.is_dir() {
            scope = scope.service(
                Files::new("/", &dir)
                    .index_file("index.html")
                    .use_etag(true)
                    .use_last_modified(true)
                    .default_handler(fallback),
            );
        } else {
            tracing::warn!(dir = %dir.display(), "STATIC_DIR does not exist: serving the API only (build the SPA with `make run`)");
            scope = scope.default_service(fallback);
        }
        cfg.service(scope);
    }
}

async fn index_or_not_found(req: &HttpRequest, index: &Path) -> HttpResponse {
    // A missing file (`/app-<hash>.js` after a rollback) is a 404, never the index: a browser
    // would cache the page as the script. Client routes have no extension.
    let looks_like_file = req
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    let wants_page = matches!(*req.method(), Method::GET | Method::HEAD)
        && !req.path().starts_with("/api/")
        && !looks_like_file;
    if wants_page {
        let index = index.to_path_buf();
        if let Ok(Ok(file)) = web::block(move || NamedFile::open(index)).await {
            return file.use_etag(true).into_response(req);
        }
    }
    actix_web::ResponseError::error_response(&ApiError::NotFound("route"))
}

/// Serves `<asset>.br` or `<asset>.gz` (written by the SPA build, frontend/build/precompress.mjs)
/// when the browser accepts it: maximum compression without spending CPU per request.
async fn precompressed(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if let Some(res) = precompressed_file(req.request()).await {
        return Ok(req.into_response(res).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

async fn precompressed_file(req: &HttpRequest) -> Option<HttpResponse> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    // Only the build's own content-hashed files at the root: no path to sanitise.
    let name = req.path().strip_prefix('/')?;
    let safe = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !safe || name.starts_with('.') || !is_content_hashed(name) {
        return None;
    }
    let accepts = req.headers().get(header::ACCEPT_ENCODING)?.to_str().ok()?;
    let accepts = |coding: &str| {
        accepts
            .split(',')
            .any(|c| c.split(';').next().is_some_and(|c| c.trim() == coding))
    };
    let (suffix, encoding) = if accepts("br") {
        ("br", ContentEncoding::Brotli)
    } else if accepts("gzip") {
        ("gz", ContentEncoding::Gzip)
    } else {
        return None;
    };
    let dir = req.app_data::<State>()?.config.static_dir.clone();
    let path = dir.join(format!("{name}.{suffix}"));
    let file = web::block(move || NamedFile::open(path)).await.ok()?.ok()?;
    let mime = actix_files::file_extension_to_mime(name.rsplit('.').next().unwrap_or_default());
    let mut res = file
        .set_content_type(mime)
        .set_content_encoding(encoding)
        .disable_content_disposition()
        .use_etag(true)
        .into_response(req);
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Some(res)
}

/// Trunk names built assets `name-<16 hex digits>.ext`: such a file never changes.
fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    // 64-bit hashes in hex; leading zeros are dropped, so 16 digits or a few fewer.
    file.split(['-', '.', '_'])
        .any(|part| (12..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let hashed = is_content_hashed(req.path());
    let mut res = next.call(req).await?;
    if res.status().is_success() || res.status() == actix_web::http::StatusCode::NOT_MODIFIED {
        let policy = if hashed {
            CacheControl(vec![
                CacheDirective::Public,
                CacheDirective::MaxAge(31_536_000),
                CacheDirective::Extension("immutable".into(), None),
            ])
        } else {
            CacheControl(vec![CacheDirective::NoCache])
        };
        if let Ok(value) = HeaderValue::from_str(&policy.to_string()) {
            res.headers_mut().insert(header::CACHE_CONTROL, value);
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn trunk_asset_names_are_recognised() {
        assert!(is_content_hashed("/frontend-9f3c2a7b1d4e5f60_bg.wasm"));
        assert!(is_content_hashed("/frontend-9f3c2a7b1d4e5f60.js"));
        assert!(is_content_hashed("/input-0123456789abcdef.css"));
        assert!(is_content_hashed("/frontend-c6eda3334743697_bg.wasm"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/dashboard"));
        assert!(!is_content_hashed("/favicon.ico"));
    }
}
