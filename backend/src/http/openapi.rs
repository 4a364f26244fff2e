//! The OpenAPI parts that guards contribute. A route lists its guard among its responses
//! (`responses((status = 200, body = T), Paid<T, 5>)`) and gets, from the guard, its error
//! responses (401, 402, 403, with the price in the words) and, through the document pass
//! `GuardParts`, its security requirement, the 429 every `/api` route can answer and the 400, 413
//! and 415 of a route that reads input. Nothing is typed twice, so the document cannot drift from
//! what the extractors do.

use std::collections::BTreeMap;

use shared::{
    dto::{Permission, Scope},
    validate::{IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LEN, IDEMPOTENCY_WINDOW_HOURS},
};
use utoipa::{
    Modify,
    openapi::{
        self, ContentBuilder, ObjectBuilder, Ref, RefOr, Required, Response, ResponseBuilder, Type,
        extensions::ExtensionsBuilder,
        path::{Operation, ParameterBuilder, ParameterIn},
        security::SecurityRequirement,
    },
};

use crate::error::roles_text;

/// The key of a pseudo-response by which a guard names its credentials (in the description);
/// `GuardParts` removes it and sets the operation's security instead. A key of its own, so a
/// route may still describe its 401 in its own words.
const CREDENTIALS: &str = "x-credentials";
/// Set by `Paid<T, N>` (the price) and `Metered<T>` ("metered") on their 402 response; read and
/// removed by `GuardParts`.
const PRICE: &str = "x-price";
/// The key of the pseudo-response by which a role guard names its permission; `GuardParts` moves
/// it to the operation's extensions, where clients and the role tests read it.
const PERMISSION: &str = "x-permission";

/// A copy of the guard's own 403 description: a route that describes its 403 in its own words
/// (listed after the guard, so it replaces the guard's) keeps the guard's words too, as
/// `GuardParts` adds them back.
const GUARD_FORBIDDEN: &str = "x-guard-forbidden";

/// What a guard accepts as proof of who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <access token>` or `X-API-Key` (scripts).
    BearerOrKey,
    /// A browser session's access token only: a leaked key must not manage keys or spend money.
    Bearer,
}

impl Credentials {
    fn name(self) -> &'static str {
        match self {
            Self::BearerOrKey => "bearer_or_key",
            Self::Bearer => "bearer",
        }
    }

    /// The security requirement of credentials `name`; an API key must hold `key_scopes`.
    fn security(name: &str, key_scopes: &[&str]) -> Option<Vec<SecurityRequirement>> {
        let bearer = || SecurityRequirement::new("bearer", Vec::<String>::new());
        let key = || SecurityRequirement::new("api_key", key_scopes.to_vec());
        match name {
            "bearer_or_key" => Some(vec![bearer(), key()]),
            "bearer" => Some(vec![bearer()]),
            _ => None,
        }
    }
}

/// A contract error response (`ErrorBody`) with this description.
pub fn error(description: impl Into<String>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// The responses of a guard that authenticates with `credentials`: 401, `forbidden` as the 403,
/// the guard's `others`, and the credentials for `GuardParts`.
pub fn guard_responses(
    credentials: Credentials,
    forbidden: &str,
    others: impl IntoIterator<Item = (&'static str, Response)>,
) -> BTreeMap<String, RefOr<Response>> {
    let marker = ResponseBuilder::new()
        .description(credentials.name())
        .build();
    [
        (CREDENTIALS, marker),
        ("401", error("unauthorized: missing or invalid credentials")),
        ("403", error(forbidden)),
        (GUARD_FORBIDDEN, error(forbidden)),
    ]
    .into_iter()
    .chain(others)
    .map(|(status, response)| (status.to_owned(), RefOr::T(response)))
    .collect()
}

/// What a guard that demands `permission` in the caller's organisation adds to the responses
/// of the guard it wraps: its 403 (beside what that guard already answers with a 403) and a
/// pseudo-response naming the permission, which `GuardParts` turns into the operation's
/// `x-permission` (a route may still describe its 403 in its own words).
pub fn add_permission(permission: Permission, responses: &mut BTreeMap<String, RefOr<Response>>) {
    let mut role = format!("forbidden: needs {}", roles_text(permission));
    if let Some(scope) = permission.scope() {
        role.push_str(&format!(
            "; insufficient_scope: an API key without `{}`",
            scope.as_str()
        ));
    }
    let description = match responses.get("403") {
        Some(RefOr::T(other)) => format!("{role}; {}", other.description),
        _ => role,
    };
    let marker = ResponseBuilder::new()
        .description(permission_name(permission))
        .build();
    responses.insert("403".to_owned(), RefOr::T(error(&description)));
    responses.insert(GUARD_FORBIDDEN.to_owned(), RefOr::T(error(description)));
    responses.insert(PERMISSION.to_owned(), RefOr::T(marker));
}

/// The permission as the document and the JSON contract spell it (`manage_keys`).
pub fn permission_name(permission: Permission) -> String {
    serde_json::to_value(permission)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The 402 of a route that costs `credits`, carrying the price to the operation's description.
pub fn price_response(credits: i64) -> Response {
    let mut response = error(format!(
        "insufficient_credits: the call costs {credits} credit{}; or key_spend_limit: the API \
         key's daily or monthly spend limit is reached (the message says when it resets)",
        if credits == 1 { "" } else { "s" }
    ));
    response.extensions = Some(ExtensionsBuilder::new().add(PRICE, credits).build());
    response
}

/// The 402 of a metered route (`Metered<T>`), which reserves the most its input may cost.
pub fn metered_price_response() -> Response {
    let mut response = error(
        "insufficient_credits: the balance cannot cover the most the input may cost, reserved \
         before the work; or key_spend_limit: the API key's daily or monthly spend limit is reached",
    );
    response.extensions = Some(ExtensionsBuilder::new().add(PRICE, "metered").build());
    response
}

/// The document pass that completes each operation from its guard's parts (see the module doc).
pub struct GuardParts;

impl Modify for GuardParts {
    fn modify(&self, api: &mut openapi::OpenApi) {
        for (path, item) in &mut api.paths.paths {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                complete(path, operation);
            }
        }
    }
}

fn complete(path: &str, operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    let permission = match responses.get(PERMISSION) {
        Some(RefOr::T(marker)) => Permission::ALL
            .into_iter()
            .find(|p| permission_name(*p) == marker.description),
        _ => None,
    };
    if let Some(RefOr::T(marker)) = responses.remove(CREDENTIALS) {
        // What a key needs to call the route: the scope of the permission it demands.
        let scope = permission.and_then(Permission::scope).map(Scope::as_str);
        let key_scopes: Vec<&str> = scope.into_iter().collect();
        operation.security = Credentials::security(&marker.description, &key_scopes);
    }
    let price = take_extension(responses, "402", PRICE);
    if let Some(price) = &price {
        let cost = match price.as_i64() {
            Some(credits) => format!(
                "Costs {credits} credit{} a call, charged once the input passed its rules; an \
                 error answer refunds {}.",
                if credits == 1 { "" } else { "s" },
                if credits == 1 { "it" } else { "them" }
            ),
            None => "Metered: the most the input may cost is reserved once it passed its rules, \
                     and what the call came to is charged after the work (the rest is refunded, \
                     with a ledger row); an error answer refunds it all."
                .to_owned(),
        };
        operation.description = Some(match operation.description.take() {
            Some(text) => format!("{text}\n\n{cost}"),
            None => cost,
        });
    }
    if let Some(RefOr::T(guard)) = responses.remove(GUARD_FORBIDDEN)
        && let Some(RefOr::T(own)) = responses.get_mut("403")
        && own.description != guard.description
    {
        own.description = format!("{} (or {})", own.description, guard.description);
    }
    if let Some(RefOr::T(marker)) = responses.remove(PERMISSION) {
        let mut extensions = operation.extensions.take().unwrap_or_default();
        extensions.merge(
            ExtensionsBuilder::new()
                .add(PERMISSION, marker.description)
                .build(),
        );
        operation.extensions = Some(extensions);
    }
    let reads_query = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Query);
    let mut standard = Vec::new();
    if operation.request_body.is_some() {
        standard.extend([
            ("400", "validation_error or bad_request"),
            ("413", "payload_too_large"),
            ("415", "unsupported_media_type"),
        ]);
    } else if reads_query {
        standard.push(("400", "validation_error or bad_request"));
    }
    if path.starts_with("/api/") {
        standard.push(("429", "rate_limited (see Retry-After)"));
    }
    for (status, description) in standard {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error(description)));
    }
    if price.is_some() {
        accept_idempotency_key(operation);
    }
}

/// The `Idempotency-Key` header of a paid route, and the answers it brings.
fn accept_idempotency_key(operation: &mut Operation) {
    let header = ParameterBuilder::new()
        .name(IDEMPOTENCY_KEY_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(format!(
            "1 to {IDEMPOTENCY_KEY_MAX_LEN} printable ASCII characters (a UUID, say). A retry with \
             the same key and body gets the first answer again, with `Idempotent-Replayed: \
             true`, and is not charged again; answers are kept {IDEMPOTENCY_WINDOW_HOURS} hours \
             per organisation, error answers not at all (they are refunded)."
        )))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(IDEMPOTENCY_KEY_MAX_LEN)),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(header);
    let responses = &mut operation.responses.responses;
    for (status, description) in [
        (
            "409",
            "idempotency_in_progress: a request with this Idempotency-Key is still running",
        ),
        (
            "422",
            "idempotency_key_reused: this Idempotency-Key came with another request",
        ),
    ] {
        responses.insert(status.to_owned(), RefOr::T(error(description)));
    }
}

/// Removes the marker `key` from the `status` response and returns its value.
fn take_extension(
    responses: &mut BTreeMap<String, RefOr<Response>>,
    status: &str,
    key: &str,
) -> Option<serde_json::Value> {
    let Some(RefOr::T(response)) = responses.get_mut(status) else {
        return None;
    };
    let extensions = response.extensions.as_mut()?;
    let value = extensions.remove(key);
    if extensions.is_empty() {
        response.extensions = None;
    }
    value
}
