//! Tasks of the organisation the session acts in. Each answer carries the task's `version`; a
//! change or deletion sends back the version it was based on (`If-Match`), so an edit made from a
//! stale copy is refused with 412 `precondition_failed` instead of overwriting someone's work.

use shared::dto::{CreateTaskRequest, Task, TaskQuery, UpdateTaskRequest};

use super::{
    ApiError,
    client::{self, Auth::Session},
};

/// A page of tasks, newest first, of one status or all; `before` is the id of the last one shown.
pub async fn tasks(query: TaskQuery) -> Result<Vec<Task>, ApiError> {
    let path = client::with_query("/api/tasks", &query)?;
    client::get(&path, Session).await
}

pub async fn task(id: i64) -> Result<Task, ApiError> {
    client::get(&format!("/api/tasks/{id}"), Session).await
}

pub async fn create_task(request: &CreateTaskRequest) -> Result<Task, ApiError> {
    client::post("/api/tasks", request, Session).await
}

/// Changes the fields `request` sends, if the task is still at `version`.
pub async fn update_task(
    id: i64,
    version: i64,
    request: &UpdateTaskRequest,
) -> Result<Task, ApiError> {
    client::patch_if_match(&format!("/api/tasks/{id}"), request, version, Session).await
}

/// Deletes the task, if it is still at `version`.
pub async fn delete_task(id: i64, version: i64) -> Result<(), ApiError> {
    client::delete_if_match(&format!("/api/tasks/{id}"), version, Session).await
}
