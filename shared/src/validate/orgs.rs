//! Organisation rules.

use super::{ValidationError, name_text};

pub const ORG_NAME_MAX_LEN: usize = 100;

/// An organisation's name: 1 to 100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        name_text(raw, "name", "organization name", ORG_NAME_MAX_LEN)
            .map(|name| Self(name.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_name_rules() {
        assert_eq!(OrgName::parse("  Acme ").unwrap().into_inner(), "Acme");
        assert_eq!(
            OrgName::parse(" ").unwrap_err().message,
            "organization name is required"
        );
        assert!(OrgName::parse(&"a".repeat(101)).is_err());
        assert!(OrgName::parse("a\u{7}b").is_err());
    }
}
