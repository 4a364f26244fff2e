//! Validation rules of the contract, the one place each is written: the API enforces them, the
//! SPA checks them before sending, the CLI tasks parse with them. Each domain newtype validates on
//! parse, so a value of the type is valid by construction, and every message is formatted from
//! the same constants the check uses.

mod account;
mod credits;
mod files;
mod idempotency;
mod keys;
mod orgs;
mod paging;
mod prompt;
mod redirect;
mod tasks;

use std::fmt;

pub use account::{EMAIL_MAX_LEN, Email, PASSWORD_MAX_BYTES, PASSWORD_MIN_LEN, Password};
pub use credits::{
    GRANT_MAX_ABS, GRANT_NOTE_MAX_LEN, GrantAmount, GrantNote, USAGE_DEFAULT_DAYS, USAGE_MAX_DAYS,
    UsageDays,
};
pub use files::{
    ALLOWED_CONTENT_TYPES, ATTACHMENT_FIELD, ATTACHMENT_NAME_MAX_LEN, attachment_name,
};
pub use idempotency::{
    IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LEN, IDEMPOTENCY_WINDOW_HOURS, IdempotencyKey,
};
pub use keys::{
    KEY_GRACE_MAX_SECONDS, KEY_LIFETIME_MAX_DAYS, KEY_NAME_MAX_LEN, KEY_RATE_LIMIT_MAX,
    KEY_SPEND_LIMIT_MAX, KeyGrace, KeyLifetime, KeyName, KeyScopes, rate_limit, spend_limit,
};
pub use orgs::{ORG_NAME_MAX_LEN, OrgName};
pub use paging::{PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT, PageLimit};
pub use prompt::{PROMPT_MAX_LEN, Prompt, STORY_MAX_WORDS, StoryRequest};
pub use redirect::{NEXT_PATH_MAX_LEN, NextPath};
pub use tasks::{
    NewTask, TASK_DESCRIPTION_MAX_LEN, TASK_DUE_YEARS, TASK_TITLE_MAX_LEN, TaskChanges,
    task_description, task_due_date, task_title,
};

/// A request body whose rules are checked in one step, into the form the handler works with
/// (a paid route's `Paid<T, N>` checks it before spending anything).
pub trait Validate {
    /// The body once its rules passed.
    type Valid;

    fn validate(&self) -> Result<Self::Valid, ValidationError>;
}

/// Why a value was refused; `field` names the offending input for the client to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
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

/// Trimmed text of 1 to `max` characters (Unicode scalar values, not bytes).
fn bounded_text<'a>(
    raw: &'a str,
    field: &'static str,
    what: &str,
    max: usize,
) -> Result<&'a str, ValidationError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ValidationError::new(field, format!("{what} is required")));
    }
    if text.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("{what} must be at most {max} characters"),
        ));
    }
    Ok(text)
}

/// A name (of a key, of an organisation): [`bounded_text`] without control characters.
fn name_text<'a>(
    raw: &'a str,
    field: &'static str,
    what: &str,
    max: usize,
) -> Result<&'a str, ValidationError> {
    let name = bounded_text(raw, field, what, max)?;
    if name.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            format!("{what} must not contain control characters"),
        ));
    }
    Ok(name)
}

/// A count from 1 to `max`, `default` when absent (a query parameter's).
fn count_up_to(
    raw: Option<i64>,
    field: &'static str,
    default: i64,
    max: i64,
) -> Result<i64, ValidationError> {
    let count = raw.unwrap_or(default);
    if (1..=max).contains(&count) {
        Ok(count)
    } else {
        Err(ValidationError::new(
            field,
            format!("{field} must be between 1 and {max}"),
        ))
    }
}
