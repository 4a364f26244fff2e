//! Typed calls to `/api/tasks`.

use reqwest::{Method, Response, StatusCode};
use shared::dto::{CreateTaskRequest, Task};

use super::{
    app::{Auth, TestApp, send},
    assertions::{expect_header, expect_json},
};

impl TestApp {
    pub async fn try_create_task(&self, auth: Auth<'_>, body: &CreateTaskRequest) -> Response {
        self.post_json("/api/tasks", body, auth).await
    }

    /// A new task titled `title`, everything else left to the defaults.
    pub async fn create_task(&self, auth: Auth<'_>, title: &str) -> Task {
        let body = CreateTaskRequest {
            title: title.to_owned(),
            ..Default::default()
        };
        expect_json(self.try_create_task(auth, &body).await, StatusCode::CREATED).await
    }

    pub async fn try_task(&self, auth: Auth<'_>, id: i64) -> Response {
        self.get(&format!("/api/tasks/{id}"), auth).await
    }

    pub async fn task(&self, auth: Auth<'_>, id: i64) -> Task {
        expect_json(self.try_task(auth, id).await, StatusCode::OK).await
    }

    pub async fn try_tasks(&self, auth: Auth<'_>, query: &str) -> Response {
        self.get(&format!("/api/tasks?{query}"), auth).await
    }

    /// One page of the list, as `query` asks.
    pub async fn tasks(&self, auth: Auth<'_>, query: &str) -> Vec<Task> {
        expect_json(self.try_tasks(auth, query).await, StatusCode::OK).await
    }

    /// `PATCH /api/tasks/{id}` with any JSON body and, when given, `If-Match`.
    pub async fn try_update_task(
        &self,
        auth: Auth<'_>,
        id: i64,
        if_match: Option<&str>,
        body: &serde_json::Value,
    ) -> Response {
        let mut request = self.request(Method::PATCH, &format!("/api/tasks/{id}"), auth);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        send(request.json(body)).await
    }

    pub async fn try_delete_task(
        &self,
        auth: Auth<'_>,
        id: i64,
        if_match: Option<&str>,
    ) -> Response {
        let mut request = self.request(Method::DELETE, &format!("/api/tasks/{id}"), auth);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        send(request).await
    }
}

/// The `ETag` a task's answer carries, checked against the version in its body.
pub async fn expect_task(response: Response, status: StatusCode) -> (Task, String) {
    let etag = expect_header(&response, "etag");
    let task: Task = expect_json(response, status).await;
    assert_eq!(
        etag,
        format!("\"{}\"", task.version),
        "the ETag is the version"
    );
    (task, etag)
}
