//! The `Idempotency-Key` header of paid POST requests.

use super::ValidationError;

/// The header a client sends to make a paid POST safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 255;
/// How long the answer to a request with an idempotency key is kept for retries.
pub const IDEMPOTENCY_WINDOW_HOURS: i64 = 24;

/// A client's idempotency key: 1 to 255 printable ASCII characters (a UUID, say), as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let printable = raw.bytes().all(|b| (b' '..=b'~').contains(&b));
        if (1..=IDEMPOTENCY_KEY_MAX_LEN).contains(&raw.len()) && printable {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValidationError::new(
                IDEMPOTENCY_KEY_HEADER,
                format!(
                    "{IDEMPOTENCY_KEY_HEADER} must be 1 to {IDEMPOTENCY_KEY_MAX_LEN} printable ASCII characters"
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_key_rules() {
        let uuid = "0b6f1c1e-8a4b-4c1d-9a53-2f1c7d9e0a11";
        assert_eq!(IdempotencyKey::parse(uuid).unwrap().as_str(), uuid);
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
        assert!(IdempotencyKey::parse("with spaces ~ and symbols!").is_ok());
        for refused in ["", &"k".repeat(256), "tab\there", "caf\u{e9}", "new\nline"] {
            let e = IdempotencyKey::parse(refused).unwrap_err();
            assert_eq!(
                (e.field, e.message.as_str()),
                (
                    "Idempotency-Key",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters"
                ),
                "{refused:?}"
            );
        }
    }
}
