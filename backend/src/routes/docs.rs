//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations (a handler
//! registered with `service(..)` cannot lack one: it would not compile), and a Swagger UI page
//! whose assets the backend serves itself, so the docs work offline and under the CSP.

use std::sync::Arc;

use actix_web::{App, HttpResponse, http::header, web};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        self,
        security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};
use utoipa_actix_web::AppExt;

use shared::dto::ErrorBody;

use crate::{error::ApiError, http::openapi::GuardParts};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SaaS Starter API",
        description = "Accounts, credits, API keys and tasks. Authenticate with `Authorization: Bearer <access token>` \
                       (from /api/auth/login) or `X-API-Key: <key>` (from /api/keys). Errors are \
                       `{\"error\": {\"code\", \"message\"}}`."
    ),
    modifiers(&SecuritySchemes),
    // The guards' error responses refer to it by name.
    components(schemas(ErrorBody)),
    tags(
        (name = "auth", description = "Sign up, sign in, sessions"),
        (name = "account", description = "The signed-in user"),
        (name = "keys", description = "API keys for scripts"),
        (name = "organizations", description = "Organisations and their members"),
        (name = "credits", description = "Balance, ledger, usage, buying credits"),
        (name = "paid", description = "Routes guarded by credits"),
        (name = "tasks", description = "The organisation's tasks: the example resource to copy"),
        (name = "admin", description = "Administration (admins only)"),
        (name = "health", description = "Probes for load balancers and orchestrators"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, api: &mut openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// The document of every route `routes::configure` registers.
pub fn document() -> openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::configure)
        .split_for_parts();
    // After the routes are in: it completes each operation from its guard's parts.
    GuardParts.modify(&mut api);
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api
}

/// The document, serialised once at start-up.
pub struct ApiDocument {
    json: String,
}

impl ApiDocument {
    pub fn new(api: &openapi::OpenApi) -> Arc<Self> {
        Arc::new(Self {
            json: api.to_json().unwrap_or_default(),
        })
    }
}

pub fn configure<T>(scope: utoipa_actix_web::scope::Scope<T>) -> utoipa_actix_web::scope::Scope<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    scope
        .route("/openapi.json", web::get().to(openapi_json))
        .route("/docs", web::get().to(docs_page))
        .route("/docs/{asset}", web::get().to(docs_asset))
        .default_service(web::to(super::fallback::not_found_or_method_not_allowed))
}

async fn openapi_json(doc: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.json.clone())
}

const DOCS_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>SaaS Starter API docs</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
"#;

// A file, not an inline script: the CSP allows scripts from 'self' only.
const DOCS_INIT: &str = "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', \
    deepLinking: true, tryItOutEnabled: false });\n";

async fn docs_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(DOCS_PAGE)
}

/// Swagger UI 5.32.0 from npm's swagger-ui-dist (Apache-2.0, see backend/assets/swagger-ui/),
/// stored gzipped in the binary.
async fn docs_asset(asset: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (body, content_type, gzipped): (&'static [u8], &str, bool) = match asset.as_str() {
        "swagger-ui-bundle.js" => (
            include_bytes!("../../assets/swagger-ui/swagger-ui-bundle.js.gz"),
            "text/javascript; charset=utf-8",
            true,
        ),
        "swagger-ui.css" => (
            include_bytes!("../../assets/swagger-ui/swagger-ui.css.gz"),
            "text/css; charset=utf-8",
            true,
        ),
        "init.js" => (
            DOCS_INIT.as_bytes(),
            "text/javascript; charset=utf-8",
            false,
        ),
        _ => return Err(ApiError::NotFound("docs asset")),
    };
    let mut res = HttpResponse::Ok();
    res.content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"));
    if gzipped {
        res.insert_header((header::CONTENT_ENCODING, "gzip"))
            .insert_header((header::VARY, "Accept-Encoding"));
    }
    Ok(res.body(body))
}
