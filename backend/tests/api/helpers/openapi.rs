//! The OpenAPI document as tests walk it: every operation, with a body its schema accepts.

use reqwest::Method;
use serde_json::{Map, Value, json};

/// One documented operation, with a valid-looking JSON body when it takes one.
pub struct Operation {
    pub method: String,
    pub path: String,
    pub declares_security: bool,
    pub body: Option<Value>,
    /// Whether it takes a file (`multipart/form-data`) rather than JSON.
    pub multipart: bool,
    /// The permission its role guard needs in the caller's organisation (`x-permission`).
    pub permission: Option<String>,
    /// When an API key may call it, the scopes the key needs.
    pub key_scopes: Option<Vec<String>>,
}

impl Operation {
    /// Every operation of the OpenAPI document.
    pub fn all(document: &Value) -> Vec<Self> {
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
                let key_scopes = requirements
                    .and_then(|r| r.iter().find_map(|alternative| alternative.get("api_key")))
                    .and_then(Value::as_array)
                    .map(|scopes| {
                        scopes
                            .iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect()
                    });
                let body = operation["requestBody"]["content"]
                    .as_object()
                    .and_then(|content| content.get("application/json"))
                    .map(|media| example(document, &media["schema"], ""));
                let multipart = operation["requestBody"]["content"]
                    .get("multipart/form-data")
                    .is_some();
                operations.push(Self {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    declares_security,
                    body,
                    multipart,
                    permission: operation["x-permission"].as_str().map(str::to_owned),
                    key_scopes,
                });
            }
        }
        operations
    }

    pub fn http_method(&self) -> Method {
        Method::from_bytes(self.method.as_bytes()).expect("an HTTP method")
    }

    /// The path with each `{parameter}` replaced by `value(parameter)`.
    pub fn filled_path(&self, value: impl Fn(&str) -> i64) -> String {
        let mut out = String::new();
        let mut rest = self.path.as_str();
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').expect("a closed path parameter") + start;
            out.push_str(&rest[..start]);
            out.push_str(&value(&rest[start + 1..end]).to_string());
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
        Some("string") if schema["format"] == "date" => json!("2030-12-31"),
        _ if name.contains("email") => json!(super::users::unique_email()),
        _ if name.contains("password") => json!(super::users::PASSWORD),
        _ => json!("starter"),
    }
}

impl super::app::TestApp {
    /// Every operation of the running server's OpenAPI document.
    pub async fn operations(&self) -> Vec<Operation> {
        let document: Value = super::assertions::expect_json(
            self.get("/api/openapi.json", super::app::Auth::None).await,
            reqwest::StatusCode::OK,
        )
        .await;
        Operation::all(&document)
    }

    /// Calls `op` with its example body (a small PNG file for an upload), each path parameter
    /// filled by `value`.
    pub async fn call_operation(
        &self,
        op: &Operation,
        value: impl Fn(&str) -> i64,
        auth: super::app::Auth<'_>,
    ) -> reqwest::Response {
        let mut request = self.request(op.http_method(), &op.filled_path(value), auth);
        if let Some(body) = &op.body {
            request = request.json(body);
        }
        if op.multipart {
            let file = reqwest::multipart::Part::bytes(super::png_of(64)).file_name("walk.png");
            request = request.multipart(reqwest::multipart::Form::new().part("file", file));
        }
        super::app::send(request).await
    }
}
