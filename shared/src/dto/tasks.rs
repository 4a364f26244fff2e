//! Tasks (`/api/tasks`): the example resource an organisation owns, the one to copy for your
//! own. Each answer carries the task's `version` as its `ETag`; send it back in `If-Match` to
//! change or delete only the version you saw.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};

/// Where a task stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[default]
    Todo,
    Doing,
    Done,
}

impl TaskStatus {
    pub const ALL: [Self; 3] = [Self::Todo, Self::Doing, Self::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::Doing => "doing",
            Self::Done => "done",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Todo => "To do",
            Self::Doing => "Doing",
            Self::Done => "Done",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
    /// A calendar date (`2026-12-31`), or `null`.
    #[serde(deserialize_with = "super::time::optional_date")]
    pub due_date: Option<NaiveDate>,
    /// Goes up by one with every change: the `ETag` of the task's answers.
    pub version: i64,
    /// The member who made it; `null` once their account is gone.
    pub created_by: Option<i64>,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub updated_at: DateTime<Utc>,
}

/// Body of `POST /api/tasks`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    /// 1 to 200 characters after trimming, no control characters.
    pub title: String,
    /// Up to 10,000 characters; omitted: empty.
    #[serde(default)]
    pub description: String,
    /// Omitted: `todo`.
    #[serde(default)]
    pub status: TaskStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
}

/// Body of `PATCH /api/tasks/{id}`: only the fields sent change; `"due_date": null` clears it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    /// Absent: unchanged; `null`: no due date; a date: that date.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub due_date: Option<Option<NaiveDate>>,
}

/// A field that is present, even as `null` (which `Option` alone cannot tell from absent).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `GET /api/tasks`: newest first, a page at a time.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    /// Only the tasks with this status.
    pub status: Option<TaskStatus>,
    /// Rows per page: 1 to 200, 50 when absent.
    pub limit: Option<i64>,
    /// The `id` of the last task already seen: the page holds the older ones.
    pub before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_as_written() {
        for status in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn a_patch_tells_a_cleared_due_date_from_an_absent_one() {
        let parse = |json| serde_json::from_str::<UpdateTaskRequest>(json).unwrap();
        assert_eq!(parse("{}").due_date, None);
        assert_eq!(parse(r#"{"due_date": null}"#).due_date, Some(None));
        let date = NaiveDate::from_ymd_opt(2026, 12, 31);
        assert_eq!(parse(r#"{"due_date": "2026-12-31"}"#).due_date, Some(date));
        let cleared = UpdateTaskRequest {
            due_date: Some(None),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&cleared).unwrap(),
            r#"{"due_date":null}"#
        );
    }
}
