//! Files attached to tasks (`/api/tasks/{id}/attachments`, `/api/attachments/{id}`, and the
//! short-lived links that download them, `/api/attachments/{id}/link`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub task_id: i64,
    /// The file's name as uploaded.
    pub name: String,
    /// In bytes.
    pub size: i64,
    /// Decided by the server from the file's first bytes.
    pub content_type: String,
    /// Lowercase hex, to check a download against.
    pub sha256: String,
    /// The member who uploaded it; `null` once their account is gone.
    pub uploaded_by: Option<i64>,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// The body of an upload: `multipart/form-data` with one file, in a field named `file`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone)]
pub struct AttachmentUpload {
    /// The file; its name (no directories) is kept, its type is read from its first bytes.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Binary))]
    pub file: Vec<u8>,
}

/// Where a browser fetches a file without credentials, for a few minutes
/// (`GET /api/attachments/{id}/link`): a presigned S3 URL, or this server's own
/// `/api/attachment-links/{token}`. Open it (a navigation, not a script's fetch): the answer is
/// sent as an attachment, so the browser saves it under its name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLink {
    /// Absolute; whoever holds it may download this one file until `expires_at`.
    pub url: String,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_link_reads_back_as_the_api_writes_it() {
        let link = AttachmentLink {
            url: "https://app.example.com/api/attachment-links/a.b.c".into(),
            expires_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 5, 0).unwrap(),
        };
        let json = serde_json::to_string(&link).unwrap();
        assert_eq!(
            json,
            r#"{"url":"https://app.example.com/api/attachment-links/a.b.c","expires_at":"2026-11-23T10:05:00Z"}"#
        );
        assert_eq!(serde_json::from_str::<AttachmentLink>(&json).unwrap(), link);
    }
}
