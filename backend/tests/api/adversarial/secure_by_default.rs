//! Secure by default: every operation of the OpenAPI document (fetched from the running server)
//! answers 401 without credentials unless it is on the public allowlist below. A new route that
//! forgets its auth extractor fails here, and so does a document that calls a guarded route
//! public or a public route guarded (its `security`).

use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::helpers::*;

/// The operations anyone may call. Adding one here is a security decision: say why in review.
const PUBLIC: &[(&str, &str)] = &[
    ("POST", "/api/auth/signup"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/token"),
    // The refresh cookie is their credential; without it they answer 401 or do nothing.
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    // The emailed token is their credential: without a live one they answer 400 and change
    // nothing. The reset request answers the same for every address.
    ("POST", "/api/auth/verify-email"),
    ("POST", "/api/auth/password-reset"),
    ("POST", "/api/auth/password-reset/confirm"),
    ("POST", "/api/auth/confirm-email-change"),
    ("GET", "/api/credits/packages"),
    // Authenticated by Stripe's signature over the body, not by a user.
    ("POST", "/api/webhooks/stripe"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
];

/// Every route of the v1 contract that needs credentials is in the document: fewer guarded
/// operations than this means routes went missing from it, not that they became public.
const GUARDED_AT_LEAST: usize = 19;

both_backends!(every_operation_off_the_public_list_needs_credentials);

async fn every_operation_off_the_public_list_needs_credentials(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Path parameters name things that exist: user 1, key 1.
    let user = app.new_user_with_credits(5).await;
    app.create_key(user.bearer(), "exists").await;
    let document: Value = expect_json(
        app.get("/api/openapi.json", Auth::None).await,
        StatusCode::OK,
    )
    .await;
    let operations = Operation::all(&document);
    for (method, path) in PUBLIC {
        assert!(
            operations
                .iter()
                .any(|op| op.method == *method && op.path == *path),
            "{method} {path} is on the public list but not in the document"
        );
    }

    let mut guarded = 0;
    for op in &operations {
        let public = PUBLIC.contains(&(op.method.as_str(), op.path.as_str()));
        assert_eq!(
            op.declares_security, !public,
            "{} {}: the document's `security` does not match the public list",
            op.method, op.path
        );
        if public {
            continue;
        }
        guarded += 1;
        for auth in [Auth::None, Auth::Bearer("not.a.jwt"), Auth::Key("sk_nope")] {
            let mut request = app.request(op.http_method(), &op.filled_path(), auth);
            if let Some(body) = &op.body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .expect("the request reached the server");
            let case = format!("{} {} with {auth:?}", op.method, op.filled_path());
            expect_error_for(&case, response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    assert!(
        guarded >= GUARDED_AT_LEAST,
        "only {guarded} guarded operations in the document"
    );

    // Nothing happened to the user's account.
    assert_eq!(app.balance(user.bearer()).await, 5);
    assert_eq!(app.keys(user.bearer()).await.len(), 1);
}

/// One documented operation, with a valid-looking JSON body when it takes one.
struct Operation {
    method: String,
    path: String,
    declares_security: bool,
    body: Option<Value>,
}

impl Operation {
    fn all(document: &Value) -> Vec<Self> {
        let paths = document["paths"].as_object().expect("a paths object");
        let mut operations = Vec::new();
        for (path, item) in paths {
            let item = item.as_object().expect("a path item object");
            for (method, operation) in item {
                if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    continue;
                }
                // Alternatives, any of which will do; `{}` among them means "or nothing".
                let requirements = operation
                    .get("security")
                    .or_else(|| document.get("security"))
                    .and_then(Value::as_array);
                let declares_security =
                    requirements.is_some_and(|r| !r.is_empty() && !r.contains(&json!({})));
                let body = operation["requestBody"]["content"]
                    .as_object()
                    .and_then(|content| content.get("application/json"))
                    .map(|media| example(document, &media["schema"], ""));
                operations.push(Self {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    declares_security,
                    body,
                });
            }
        }
        operations
    }

    fn http_method(&self) -> Method {
        Method::from_bytes(self.method.as_bytes()).expect("an HTTP method")
    }

    /// The path with each `{parameter}` replaced by 1.
    fn filled_path(&self) -> String {
        let mut out = String::new();
        let mut rest = self.path.as_str();
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').expect("a closed path parameter") + start;
            out.push_str(&rest[..start]);
            out.push('1');
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// A value `schema` accepts, plausible for a field called `name`: every property of an object,
/// the first of an enum, the first non-null alternative.
fn example(document: &Value, schema: &Value, name: &str) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let target = reference
            .strip_prefix("#/")
            .expect("a local $ref")
            .split('/')
            .fold(document, |node, segment| &node[segment]);
        return example(document, target, name);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|values| values.first()) {
        return first.clone();
    }
    for alternatives in ["oneOf", "anyOf", "allOf"] {
        if let Some(choices) = schema[alternatives].as_array() {
            let chosen = choices.iter().find(|c| c["type"] != "null");
            return example(document, chosen.expect("a non-null alternative"), name);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned(),
        kind => Some(kind.clone()),
    };
    match kind.as_ref().and_then(Value::as_str) {
        Some("object") => {
            let properties = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let fields: Map<String, Value> = properties
                .iter()
                .map(|(field, schema)| (field.clone(), example(document, schema, field)))
                .collect();
            Value::Object(fields)
        }
        Some("array") => json!([example(document, &schema["items"], name)]),
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(true),
        _ if name.contains("email") => json!(unique_email()),
        _ if name.contains("password") => json!(PASSWORD),
        _ => json!("starter"),
    }
}
