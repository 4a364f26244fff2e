//! Tasks of the organisation the caller acts in: the example resource, the one to copy for your
//! own (README, "Add your own resource"). Any role reads them, `developer` and above write them;
//! an API key needs `tasks:read` or `tasks:write`. Answers carry the task's version as `ETag`;
//! `PATCH` and `DELETE` honour `If-Match`.

use actix_web::{HttpResponse, delete, get, http::header, patch, post, web};
use shared::{
    dto::{CreateTaskRequest, ErrorBody, Task, TaskQuery, UpdateTaskRequest},
    validate::{PageLimit, Validate},
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth::{Caller, Permitted, need},
    error::ApiError,
    http::{
        etag::{IfMatch, etag},
        json::Json,
    },
    models::{TaskRow, task::Guarded},
    state::State,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_tasks)
        .service(create_task)
        .service(get_task)
        .service(update_task)
        .service(delete_task);
}

/// A task's answer: the task, with its version as the `ETag`.
fn with_etag(mut response: actix_web::HttpResponseBuilder, task: &TaskRow) -> HttpResponse {
    response
        .insert_header(etag(task.version))
        .json(task.to_dto())
}

/// The outcome of a guarded change as the contract answers it.
fn guarded<T>(outcome: Guarded<T>) -> Result<T, ApiError> {
    match outcome {
        Guarded::Done(value) => Ok(value),
        Guarded::NotFound => Err(ApiError::NotFound("task")),
        Guarded::Stale => Err(ApiError::PreconditionFailed("task")),
    }
}

#[utoipa::path(
    get,
    tag = "tasks",
    params(TaskQuery),
    responses(
        (status = 200, description = "The organisation's tasks, newest first; pass the last id as `before` for the next page", body = Vec<Task>),
        Permitted<need::ReadTasks, Caller>,
    )
)]
#[get("/tasks")]
async fn list_tasks(
    state: State,
    Permitted(caller, _): Permitted<need::ReadTasks, Caller>,
    query: web::Query<TaskQuery>,
) -> Result<web::Json<Vec<Task>>, ApiError> {
    let TaskQuery {
        status,
        limit,
        before,
    } = query.into_inner();
    let limit = PageLimit::parse(limit)?.get();
    let org_id = caller.org.id;
    let tasks = state
        .db
        .read(move |conn| TaskRow::page(conn, org_id, status, limit, before))
        .await?;
    Ok(web::Json(tasks.iter().map(TaskRow::to_dto).collect()))
}

#[utoipa::path(
    post,
    tag = "tasks",
    request_body = CreateTaskRequest,
    responses(
        (status = 201, description = "Created, at version 1; `Location` is its address", body = Task,
            headers(("ETag" = String, description = "The task's version, for `If-Match`"))),
        Permitted<need::WriteTasks, Caller>,
    )
)]
#[post("/tasks")]
async fn create_task(
    state: State,
    Permitted(caller, _): Permitted<need::WriteTasks, Caller>,
    body: Json<CreateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let task = body.validate()?;
    let (org_id, user_id, at) = (caller.org.id, caller.user.id, state.clock.now());
    let created = state
        .db
        .write(move |conn| TaskRow::create(conn, org_id, user_id, &task, at))
        .await?;
    tracing::info!(user_id, org_id, task_id = created.id, "task created");
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/tasks/{}", created.id)));
    Ok(with_etag(response, &created))
}

#[utoipa::path(
    get,
    tag = "tasks",
    params(("id" = i64, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task", body = Task,
            headers(("ETag" = String, description = "The task's version, for `If-Match`"))),
        Permitted<need::ReadTasks, Caller>,
        (status = 404, description = "not_found: no task of the organisation's with this id", body = ErrorBody),
    )
)]
#[get("/tasks/{id}")]
async fn get_task(
    state: State,
    Permitted(caller, _): Permitted<need::ReadTasks, Caller>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (org_id, id) = (caller.org.id, id.into_inner());
    let task = state
        .db
        .read(move |conn| TaskRow::find(conn, org_id, id))
        .await?
        .ok_or(ApiError::NotFound("task"))?;
    Ok(with_etag(HttpResponse::Ok(), &task))
}

#[utoipa::path(
    patch,
    tag = "tasks",
    params(
        ("id" = i64, Path, description = "The task's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the change is based on; omitted: whatever version the task is at"),
    ),
    request_body = UpdateTaskRequest,
    responses(
        (status = 200, description = "Changed: the version goes up by one (an empty body changes nothing)", body = Task,
            headers(("ETag" = String, description = "The task's new version"))),
        Permitted<need::WriteTasks, Caller>,
        (status = 404, description = "not_found: no task of the organisation's with this id", body = ErrorBody),
        (status = 412, description = "precondition_failed: someone changed the task since the `If-Match` version; fetch it again", body = ErrorBody),
    )
)]
#[patch("/tasks/{id}")]
async fn update_task(
    state: State,
    Permitted(caller, _): Permitted<need::WriteTasks, Caller>,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: Json<UpdateTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    let changes = body.validate()?;
    let (org_id, id, at) = (caller.org.id, id.into_inner(), state.clock.now());
    let outcome = state
        .db
        .write(move |conn| TaskRow::update(conn, org_id, id, |v| if_match.accepts(v), &changes, at))
        .await?;
    let task = guarded(outcome)?;
    Ok(with_etag(HttpResponse::Ok(), &task))
}

#[utoipa::path(
    delete,
    tag = "tasks",
    params(
        ("id" = i64, Path, description = "The task's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the deletion is based on; omitted: whatever version the task is at"),
    ),
    responses(
        (status = 204, description = "Deleted, with its attachments"),
        (status = 400, description = "bad_request: `If-Match` is neither `*` nor a list of quoted ETags", body = ErrorBody),
        Permitted<need::WriteTasks, Caller>,
        (status = 404, description = "not_found: no task of the organisation's with this id", body = ErrorBody),
        (status = 412, description = "precondition_failed: someone changed the task since the `If-Match` version; fetch it again", body = ErrorBody),
    )
)]
#[delete("/tasks/{id}")]
async fn delete_task(
    state: State,
    Permitted(caller, _): Permitted<need::WriteTasks, Caller>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (user_id, org_id, id) = (caller.user.id, caller.org.id, id.into_inner());
    let outcome = state
        .db
        .write(move |conn| TaskRow::delete(conn, org_id, id, |v| if_match.accepts(v)))
        .await?;
    let files = guarded(outcome)?;
    for key in &files {
        super::attachments::remove_object(&state, key).await;
    }
    tracing::info!(
        user_id,
        org_id,
        task_id = id,
        files = files.len(),
        "task deleted"
    );
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    /// The README's "Add your own resource" shows this file's code as it is.
    #[test]
    fn the_readme_shows_this_code_as_it_is() {
        crate::routes::assert_readme_shows(
            "## Add your own resource",
            "backend/src/routes/tasks.rs",
            include_str!("tasks.rs"),
        );
    }
}
