//! Task rules: a title, a description, a due date within reason.

use chrono::NaiveDate;

use super::{Validate, ValidationError, name_text};
use crate::dto::{CreateTaskRequest, TaskStatus, UpdateTaskRequest};

pub const TASK_TITLE_MAX_LEN: usize = 200;
pub const TASK_DESCRIPTION_MAX_LEN: usize = 10_000;
/// The first and last years a due date may fall in: a guard against typos (`20266-01-01`).
pub const TASK_DUE_YEARS: (i32, i32) = (1900, 9999);

/// A task's title: 1 to 200 characters after trimming, no control characters.
pub fn task_title(raw: &str) -> Result<String, ValidationError> {
    name_text(raw, "title", "title", TASK_TITLE_MAX_LEN).map(str::to_owned)
}

/// A task's description: up to 10,000 characters, kept as written (line breaks and tabs
/// allowed, other control characters not).
pub fn task_description(raw: &str) -> Result<String, ValidationError> {
    if raw.chars().count() > TASK_DESCRIPTION_MAX_LEN {
        return Err(ValidationError::new(
            "description",
            format!("description must be at most {TASK_DESCRIPTION_MAX_LEN} characters"),
        ));
    }
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ValidationError::new(
            "description",
            "description must not contain control characters other than line breaks and tabs",
        ));
    }
    Ok(raw.to_owned())
}

/// A due date in the years `TASK_DUE_YEARS`.
pub fn task_due_date(date: NaiveDate) -> Result<NaiveDate, ValidationError> {
    use chrono::Datelike;
    let (first, last) = TASK_DUE_YEARS;
    if (first..=last).contains(&date.year()) {
        Ok(date)
    } else {
        Err(ValidationError::new(
            "due_date",
            format!("due_date must fall in the years {first} to {last}"),
        ))
    }
}

/// A new task once its rules passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
    pub due_date: Option<NaiveDate>,
}

impl Validate for CreateTaskRequest {
    type Valid = NewTask;

    fn validate(&self) -> Result<NewTask, ValidationError> {
        Ok(NewTask {
            title: task_title(&self.title)?,
            description: task_description(&self.description)?,
            status: self.status,
            due_date: self.due_date.map(task_due_date).transpose()?,
        })
    }
}

/// The changes of a `PATCH` once their rules passed: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<TaskStatus>,
    pub due_date: Option<Option<NaiveDate>>,
}

impl TaskChanges {
    /// Whether the request changes nothing (an empty `PATCH`, answered with the task as it is).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Validate for UpdateTaskRequest {
    type Valid = TaskChanges;

    fn validate(&self) -> Result<TaskChanges, ValidationError> {
        Ok(TaskChanges {
            title: self.title.as_deref().map(task_title).transpose()?,
            description: self
                .description
                .as_deref()
                .map(task_description)
                .transpose()?,
            status: self.status,
            due_date: self
                .due_date
                .map(|due| due.map(task_due_date).transpose())
                .transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_bounded_and_printable() {
        assert_eq!(task_title("  Ship it  ").as_deref(), Ok("Ship it"));
        assert_eq!(task_title(&"é".repeat(200)).map(|t| t.len()), Ok(400));
        let message = |raw: &str| task_title(raw).unwrap_err().message;
        assert_eq!(message("   "), "title is required");
        assert_eq!(
            message(&"a".repeat(201)),
            "title must be at most 200 characters"
        );
        assert_eq!(
            message("a\u{7}b"),
            "title must not contain control characters"
        );
    }

    #[test]
    fn descriptions_keep_line_breaks_and_refuse_other_controls() {
        assert_eq!(task_description("").as_deref(), Ok(""));
        assert_eq!(
            task_description(" a\n\tb\r\n").as_deref(),
            Ok(" a\n\tb\r\n")
        );
        assert!(task_description(&"x".repeat(10_000)).is_ok());
        let err = task_description(&"x".repeat(10_001)).unwrap_err();
        assert_eq!(err.message, "description must be at most 10000 characters");
        assert_eq!(task_description("a\0b").unwrap_err().field, "description");
    }

    #[test]
    fn due_dates_fall_in_the_allowed_years() {
        let date = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert!(task_due_date(date(1900)).is_ok());
        assert!(task_due_date(date(9999)).is_ok());
        for bad in [1899, 10_000] {
            let err = task_due_date(date(bad)).unwrap_err();
            assert_eq!(err.message, "due_date must fall in the years 1900 to 9999");
        }
    }

    #[test]
    fn a_patch_validates_only_what_it_sends() {
        let empty = UpdateTaskRequest::default().validate().unwrap();
        assert!(empty.is_empty());
        let cleared = UpdateTaskRequest {
            due_date: Some(None),
            ..Default::default()
        };
        assert_eq!(cleared.validate().unwrap().due_date, Some(None));
        let blank = UpdateTaskRequest {
            title: Some(" ".to_owned()),
            ..Default::default()
        };
        assert_eq!(blank.validate().unwrap_err().field, "title");
    }
}
