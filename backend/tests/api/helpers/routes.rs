//! Tables of authenticated routes, for the tests that check who may call what.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::app::{Auth, TestApp, send};
use super::users::PASSWORD;

/// One call to one route with a valid body.
#[derive(Debug, Clone)]
pub struct Route {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
}

impl Route {
    fn new(method: Method, path: impl Into<String>, body: Option<Value>) -> Self {
        Self {
            method,
            path: path.into(),
            body,
        }
    }

    /// Routes an API key may call (reads and paid routes).
    pub fn key_friendly() -> Vec<Route> {
        vec![
            Route::new(Method::GET, "/api/me", None),
            Route::new(Method::GET, "/api/credits", None),
            Route::new(Method::GET, "/api/credits/ledger", None),
            Route::new(Method::GET, "/api/credits/usage?days=7", None),
            Route::new(
                Method::POST,
                "/api/generate-text",
                Some(json!({ "prompt": "hello" })),
            ),
            Route::new(
                Method::POST,
                "/api/generate-story",
                Some(json!({ "prompt": "hello", "max_words": 100 })),
            ),
            Route::new(Method::GET, "/api/demo/premium", None),
        ]
    }

    /// Routes that need a browser session (bearer): a leaked key must not reach them.
    /// `key_id` is a key of the caller's.
    pub fn session_only(key_id: i64) -> Vec<Route> {
        let password = json!({ "current_password": PASSWORD, "new_password": "a new password" });
        vec![
            Route::new(Method::GET, "/api/keys", None),
            Route::new(Method::POST, "/api/keys", Some(json!({ "name": "minted" }))),
            Route::new(Method::DELETE, format!("/api/keys/{key_id}"), None),
            Route::new(
                Method::POST,
                format!("/api/keys/{key_id}/rotate"),
                Some(json!({ "grace_seconds": 0 })),
            ),
            Route::new(
                Method::POST,
                "/api/credits/purchase",
                Some(json!({ "package_id": "starter" })),
            ),
            Route::new(Method::POST, "/api/me/password", Some(password)),
            Route::new(Method::POST, "/api/auth/logout-all", None),
        ]
    }

    /// The admin routes, aimed at user `target`.
    pub fn admin_only(target: i64) -> Vec<Route> {
        let grant = json!({ "amount": 5, "reason": "gift" });
        vec![
            Route::new(Method::GET, "/api/admin/users", None),
            Route::new(
                Method::POST,
                format!("/api/admin/users/{target}/credits"),
                Some(grant),
            ),
            Route::new(
                Method::PATCH,
                format!("/api/admin/users/{target}"),
                Some(json!({ "is_active": false })),
            ),
        ]
    }
}

impl TestApp {
    pub async fn call(&self, route: &Route, auth: Auth<'_>) -> Response {
        let mut request = self.request(route.method.clone(), &route.path, auth);
        if let Some(body) = &route.body {
            request = request.json(body);
        }
        send(request).await
    }
}
