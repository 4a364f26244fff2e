//! Account rules: the email address and the password.

use std::fmt;

use super::ValidationError;

pub const EMAIL_MAX_LEN: usize = 254;
/// RFC 5321's limit on the part before the `@`.
const EMAIL_LOCAL_MAX_LEN: usize = 64;
/// RFC 1035's limit on one label of a domain name.
const DOMAIN_LABEL_MAX_LEN: usize = 63;
pub const PASSWORD_MIN_LEN: usize = 8;
/// bcrypt reads this many bytes and ignores the rest, so a longer password would be weaker than
/// it looks: refused rather than cut.
pub const PASSWORD_MAX_BYTES: usize = 72;

/// An email address: trimmed, lower-cased, at most 254 characters, `local@domain.tld` shaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::parse_as(raw, "email", "email")
    }

    /// The new address of an email change (field `new_email`): an address, and not `current`.
    pub fn parse_new(raw: &str, current: &str) -> Result<Self, ValidationError> {
        let email = Self::parse_as(raw, "new_email", "new email")?;
        if email.0 == current {
            return Err(ValidationError::new(
                "new_email",
                "that is your address already",
            ));
        }
        Ok(email)
    }

    /// The address rules, refusing for `field` with messages about `noun`.
    fn parse_as(raw: &str, field: &'static str, noun: &str) -> Result<Self, ValidationError> {
        // ASCII case folding is enough: an address with any other letter is refused below. (It
        // also keeps Unicode's case tables, kilobytes, out of the SPA.)
        let email = raw.trim().to_ascii_lowercase();
        let err = |m: String| Err(ValidationError::new(field, m));
        let shape = || format!("{noun} must look like name@example.com");
        if email.is_empty() {
            return err(format!("{noun} is required"));
        }
        if email.chars().count() > EMAIL_MAX_LEN {
            return err(format!("{noun} must be at most {EMAIL_MAX_LEN} characters"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return err(shape());
        };
        let valid_local = !local.is_empty()
            && local.len() <= EMAIL_LOCAL_MAX_LEN
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
                    && l.len() <= DOMAIN_LABEL_MAX_LEN
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2);
        if !valid_local || !valid_domain {
            return err(shape());
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

/// A new password: at least 8 characters (Unicode scalar values) and at most 72 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, ValidationError> {
        if raw.chars().count() < PASSWORD_MIN_LEN {
            return Err(ValidationError::new(
                field,
                format!("password must be at least {PASSWORD_MIN_LEN} characters"),
            ));
        }
        if raw.len() > PASSWORD_MAX_BYTES {
            return Err(ValidationError::new(
                field,
                format!(
                    "password must be at most {PASSWORD_MAX_BYTES} bytes (as many letters, fewer \
                     with accents or emoji)"
                ),
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
        let err = Email::parse(&email_of_len(255)).unwrap_err();
        assert_eq!(err.message, "email must be at most 254 characters");
    }

    #[test]
    fn a_new_email_is_an_address_other_than_the_current_one() {
        let current = "ada@example.com";
        assert_eq!(
            Email::parse_new(" Bob@Example.com", current)
                .unwrap()
                .as_str(),
            "bob@example.com"
        );
        let same = Email::parse_new(" ADA@example.com", current).unwrap_err();
        assert_eq!(same.field, "new_email");
        let bad = Email::parse_new("nope", current).unwrap_err();
        assert_eq!(
            (bad.field, bad.message.as_str()),
            ("new_email", "new email must look like name@example.com")
        );
    }

    #[test]
    fn password_length_bounds_are_inclusive() {
        assert!(Password::parse(&"x".repeat(7), "password").is_err());
        assert!(Password::parse(&"x".repeat(8), "password").is_ok());
        assert!(Password::parse(&"x".repeat(72), "password").is_ok());
        assert!(Password::parse(&"x".repeat(73), "password").is_err());
        // At least 8 characters: eight 'é' are 16 bytes and a valid password; at most 72 bytes:
        // 37 'é' are 74.
        assert!(Password::parse(&"é".repeat(8), "password").is_ok());
        assert!(Password::parse(&"é".repeat(37), "password").is_err());
        assert_eq!(
            Password::parse("short", "password").unwrap_err().message,
            "password must be at least 8 characters"
        );
    }

    #[test]
    fn password_debug_hides_the_secret() {
        let p = Password::parse("hunter2hunter2", "password").unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
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
