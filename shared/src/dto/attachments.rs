//! Files attached to tasks (`/api/tasks/{id}/attachments`, `/api/attachments/{id}`).

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
