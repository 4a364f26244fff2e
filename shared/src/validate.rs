//! Validation rules of the contract. Each domain newtype validates on parse, so a value of the
//! type is valid by construction.

use std::fmt;

/// Why a value was refused; `field` names the offending input for the client to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ValidationError {}

pub const EMAIL_MAX_LEN: usize = 254;
pub const PASSWORD_MIN_LEN: usize = 8;
pub const PASSWORD_MAX_LEN: usize = 128;
pub const KEY_NAME_MAX_LEN: usize = 64;
pub const PROMPT_MAX_LEN: usize = 4000;

/// An email address: trimmed, lower-cased, at most 254 characters, `local@domain.tld` shaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let email = raw.trim().to_lowercase();
        let err = |m: &str| Err(ValidationError::new("email", m));
        if email.is_empty() {
            return err("email is required");
        }
        if email.chars().count() > EMAIL_MAX_LEN {
            return err("email must be at most 254 characters");
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return err("email must look like name@example.com");
        };
        let valid_local = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let valid_domain = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2);
        if !valid_local || !valid_domain {
            return err("email must look like name@example.com");
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: 8 to 128 characters (counted as Unicode scalar values, not bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if len < PASSWORD_MIN_LEN {
            return Err(ValidationError::new(
                field,
                "password must be at least 8 characters",
            ));
        }
        if len > PASSWORD_MAX_LEN {
            return Err(ValidationError::new(
                field,
                "password must be at most 128 characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

// Never print a password, not even in debug output.
impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// An API key's label: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ValidationError::new("name", "key name is required"));
        }
        if name.chars().count() > KEY_NAME_MAX_LEN {
            return Err(ValidationError::new(
                "name",
                "key name must be at most 64 characters",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "name",
                "key name must not contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A prompt for the demo paid route: 1 to 4000 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt(String);

impl Prompt {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let prompt = raw.trim();
        if prompt.is_empty() {
            return Err(ValidationError::new("prompt", "prompt is required"));
        }
        if prompt.chars().count() > PROMPT_MAX_LEN {
            return Err(ValidationError::new(
                "prompt",
                "prompt must be at most 4000 characters",
            ));
        }
        Ok(Self(prompt.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `limit` of a paginated list: 1 to 200, 50 when absent.
pub fn page_limit(raw: Option<i64>) -> Result<i64, ValidationError> {
    use crate::dto::{LEDGER_DEFAULT_LIMIT, LEDGER_MAX_LIMIT};
    let limit = raw.unwrap_or(LEDGER_DEFAULT_LIMIT);
    if (1..=LEDGER_MAX_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(ValidationError::new(
            "limit",
            format!("limit must be between 1 and {LEDGER_MAX_LIMIT}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a da@example.com",
            "ada@exa mple.com",
            ".ada@example.com",
            "ada.@example.com",
            "a..da@example.com",
            "ada@-example.com",
            "ada@example.c",
            "ada@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn email_length_limit_is_254() {
        // "l...l@" + labels of 50 characters joined by dots + ".com", padded to the wanted length.
        let email_of_len = |len: usize| {
            let mut domain = String::new();
            while 5 + 1 + domain.len() + 4 < len {
                let room = len - (5 + 1 + domain.len() + 4);
                let label = "d".repeat(room.min(50));
                domain = if domain.is_empty() {
                    label
                } else {
                    format!("{domain}.{}", &label[1..])
                };
            }
            format!("local@{domain}.com")
        };
        assert_eq!(email_of_len(254).len(), 254);
        assert!(Email::parse(&email_of_len(254)).is_ok());
        assert_eq!(email_of_len(255).len(), 255);
        assert!(Email::parse(&email_of_len(255)).is_err());
    }

    #[test]
    fn password_length_bounds_are_inclusive() {
        assert!(Password::parse(&"x".repeat(7), "password").is_err());
        assert!(Password::parse(&"x".repeat(8), "password").is_ok());
        assert!(Password::parse(&"x".repeat(128), "password").is_ok());
        assert!(Password::parse(&"x".repeat(129), "password").is_err());
        // Characters, not bytes: eight 'é' are 16 bytes but a valid 8-character password.
        assert!(Password::parse(&"é".repeat(8), "password").is_ok());
    }

    #[test]
    fn password_debug_hides_the_secret() {
        let p = Password::parse("hunter2hunter2", "password").unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn key_name_rules() {
        assert_eq!(KeyName::parse("  ci  ").unwrap().into_inner(), "ci");
        assert!(KeyName::parse("   ").is_err());
        assert!(KeyName::parse(&"k".repeat(65)).is_err());
        assert!(KeyName::parse("bad\nname").is_err());
        assert!(KeyName::parse(&"k".repeat(64)).is_ok());
    }

    #[test]
    fn prompt_rules() {
        assert!(Prompt::parse("").is_err());
        assert!(Prompt::parse(&"p".repeat(4001)).is_err());
        assert_eq!(Prompt::parse(" hi ").unwrap().as_str(), "hi");
    }

    #[test]
    fn page_limits() {
        assert_eq!(page_limit(None), Ok(50));
        assert_eq!(page_limit(Some(200)), Ok(200));
        assert!(
            page_limit(Some(0)).is_err()
                && page_limit(Some(201)).is_err()
                && page_limit(Some(-1)).is_err()
        );
    }

    #[test]
    fn errors_name_their_field() {
        assert_eq!(Email::parse("nope").unwrap_err().field, "email");
        assert_eq!(
            Password::parse("short", "new_password").unwrap_err().field,
            "new_password"
        );
    }
}
