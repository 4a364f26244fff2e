//! Calls of the organisation routes.

use reqwest::{Response, StatusCode};
use shared::dto::{CreateOrgRequest, OrgMembership};

use super::{
    app::{Auth, TestApp},
    assertions::expect_json,
};

impl TestApp {
    pub async fn try_orgs(&self, auth: Auth<'_>) -> Response {
        self.get("/api/orgs", auth).await
    }

    /// The caller's organisations, personal one first.
    pub async fn orgs(&self, auth: Auth<'_>) -> Vec<OrgMembership> {
        expect_json(self.try_orgs(auth).await, StatusCode::OK).await
    }

    pub async fn try_create_org(&self, auth: Auth<'_>, name: &str) -> Response {
        let body = CreateOrgRequest { name: name.into() };
        self.post_json("/api/orgs", &body, auth).await
    }
}
