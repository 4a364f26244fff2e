//! The demo paid route's input.

use super::{Validate, ValidationError, bounded_text};
use crate::dto::GenerateTextRequest;

pub const PROMPT_MAX_LEN: usize = 4000;

/// A prompt for the demo paid route: 1 to 4000 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt(String);

impl Prompt {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        bounded_text(raw, "prompt", "prompt", PROMPT_MAX_LEN).map(|p| Self(p.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Validate for GenerateTextRequest {
    type Valid = Prompt;

    fn validate(&self) -> Result<Prompt, ValidationError> {
        Prompt::parse(&self.prompt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_rules() {
        assert_eq!(Prompt::parse("").unwrap_err().message, "prompt is required");
        assert_eq!(
            Prompt::parse(&"p".repeat(4001)).unwrap_err().message,
            "prompt must be at most 4000 characters"
        );
        assert_eq!(Prompt::parse(" hi ").unwrap().as_str(), "hi");
    }
}
