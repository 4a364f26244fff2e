//! The demo paid routes' input.

use super::{Validate, ValidationError, bounded_text, count_up_to};
use crate::dto::{GenerateStoryRequest, GenerateTextRequest};

pub const PROMPT_MAX_LEN: usize = 4000;
/// The longest story the metered demo route writes, in words.
pub const STORY_MAX_WORDS: i64 = 10_000;

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

/// A story's prompt and its length cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRequest {
    pub prompt: Prompt,
    /// 1 to `STORY_MAX_WORDS`.
    pub max_words: i64,
}

impl Validate for GenerateStoryRequest {
    type Valid = StoryRequest;

    fn validate(&self) -> Result<StoryRequest, ValidationError> {
        Ok(StoryRequest {
            prompt: Prompt::parse(&self.prompt)?,
            max_words: count_up_to(Some(self.max_words), "max_words", 1, STORY_MAX_WORDS)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_rules() {
        let story = |max_words| GenerateStoryRequest {
            prompt: "a dragon".to_owned(),
            max_words,
        };
        assert_eq!(story(250).validate().unwrap().max_words, 250);
        assert!(story(STORY_MAX_WORDS).validate().is_ok());
        for refused in [0, -3, STORY_MAX_WORDS + 1] {
            let e = story(refused).validate().unwrap_err();
            assert_eq!(
                (e.field, e.message.as_str()),
                ("max_words", "max_words must be between 1 and 10000")
            );
        }
    }

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
