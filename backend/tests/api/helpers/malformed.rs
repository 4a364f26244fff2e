//! Every class of malformed request body, built from a valid one, with the status and error
//! code the contract gives it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::app::{Auth, TestApp};
use super::assertions::expect_error_for;

/// Bodies over this size are refused with 413.
const BODY_LIMIT: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// Not JSON at all.
    BrokenJson,
    /// Valid JSON cut short by one character.
    TruncatedJson,
    /// A JSON body sent as `text/plain`.
    TextContentType,
    /// A JSON body without a Content-Type.
    NoContentType,
    /// JSON, but an array instead of an object.
    NotAnObject,
    /// One field has the wrong JSON type.
    WrongFieldType,
    /// One required field is missing.
    MissingField,
    /// An extra field the route does not know.
    UnknownField,
    /// A body over 64 KiB.
    Oversized,
}

impl Malformed {
    pub const ALL: [Malformed; 9] = [
        Malformed::BrokenJson,
        Malformed::TruncatedJson,
        Malformed::TextContentType,
        Malformed::NoContentType,
        Malformed::NotAnObject,
        Malformed::WrongFieldType,
        Malformed::MissingField,
        Malformed::UnknownField,
        Malformed::Oversized,
    ];

    /// Every class except `MissingField`, for bodies whose fields are all optional.
    pub const ALL_BUT_MISSING_FIELD: [Malformed; 8] = [
        Malformed::BrokenJson,
        Malformed::TruncatedJson,
        Malformed::TextContentType,
        Malformed::NoContentType,
        Malformed::NotAnObject,
        Malformed::WrongFieldType,
        Malformed::UnknownField,
        Malformed::Oversized,
    ];

    fn expected(self) -> (StatusCode, &'static str) {
        match self {
            Malformed::BrokenJson | Malformed::TruncatedJson => {
                (StatusCode::BAD_REQUEST, "bad_request")
            }
            Malformed::TextContentType | Malformed::NoContentType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Malformed::NotAnObject
            | Malformed::WrongFieldType
            | Malformed::MissingField
            | Malformed::UnknownField => (StatusCode::BAD_REQUEST, "validation_error"),
            Malformed::Oversized => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        }
    }

    /// The Content-Type and body that break `valid` (a JSON object) in this way.
    fn build(self, valid: &Value) -> (Option<&'static str>, Vec<u8>) {
        const JSON: Option<&str> = Some("application/json");
        let text = valid.to_string();
        let mut fields = valid
            .as_object()
            .expect("a valid body is a JSON object")
            .clone();
        let first = fields.keys().next().expect("a body with a field").clone();
        let body = match self {
            Malformed::BrokenJson => return (JSON, b"{this is not json".to_vec()),
            Malformed::TruncatedJson => return (JSON, text[..text.len() - 1].into()),
            Malformed::TextContentType => return (Some("text/plain"), text.into()),
            Malformed::NoContentType => return (None, text.into()),
            Malformed::NotAnObject => json!([valid]),
            Malformed::WrongFieldType => {
                let wrong = wrong_type(&fields[&first]);
                fields.insert(first, wrong);
                Value::Object(fields)
            }
            Malformed::MissingField => {
                fields.remove(&first);
                Value::Object(fields)
            }
            Malformed::UnknownField => {
                fields.insert("unexpected_field".into(), json!(true));
                Value::Object(fields)
            }
            Malformed::Oversized => {
                fields.insert("padding".into(), json!("a".repeat(BODY_LIMIT + 4096)));
                Value::Object(fields)
            }
        };
        (JSON, body.to_string().into())
    }
}

/// A value of another JSON type than `value`.
fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("12"),
        Value::Bool(_) => json!("yes"),
        _ => json!(false),
    }
}

/// Sends each malformed variant of `valid` and asserts its 4xx JSON error. The caller then
/// checks that nothing was written.
pub async fn assert_rejects_malformed(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Auth<'_>,
    valid: &Value,
    cases: &[Malformed],
) {
    for &case in cases {
        let (content_type, body) = case.build(valid);
        let response = app
            .send_raw(method.clone(), path, content_type, body, auth)
            .await;
        let (status, code) = case.expected();
        expect_error_for(&format!("{case:?}:"), response, status, code).await;
    }
}
