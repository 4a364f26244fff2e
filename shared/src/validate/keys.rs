//! API key rules.

use super::{ValidationError, name_text};

pub const KEY_NAME_MAX_LEN: usize = 64;

/// An API key's label: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        name_text(raw, "name", "key name", KEY_NAME_MAX_LEN).map(|name| Self(name.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_name_rules() {
        assert_eq!(KeyName::parse("  ci  ").unwrap().into_inner(), "ci");
        assert_eq!(
            KeyName::parse("   ").unwrap_err().message,
            "key name is required"
        );
        assert_eq!(
            KeyName::parse(&"k".repeat(65)).unwrap_err().message,
            "key name must be at most 64 characters"
        );
        assert!(KeyName::parse("bad\nname").is_err());
        assert!(KeyName::parse(&"k".repeat(64)).is_ok());
    }
}
