//! `OrgMember`: a browser session acting in the organisation its route's path names
//! (`/api/orgs/{id}/...`), which it must be a member of. Wrap it in `Permitted` to demand a role:
//! `Permitted<need::ManageMembers, OrgMember>`.

use std::collections::BTreeMap;

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use shared::dto::OrgRole;
use utoipa::openapi::{RefOr, Response};

use super::{Authenticated, BrowserSession, Caller};
use crate::{
    error::ApiError,
    http::openapi::error,
    models::{OrganizationRow, organization::Membership},
    state::AppState,
};

/// The session, its caller now acting in the path's organisation with the role it has there.
#[derive(Debug, Clone)]
pub struct OrgMember {
    pub session: BrowserSession,
    pub role: OrgRole,
}

impl OrgMember {
    pub fn org_id(&self) -> i64 {
        self.session.caller.org.id
    }

    pub fn user_id(&self) -> i64 {
        self.session.caller.user.id
    }

    pub fn membership(&self) -> Membership {
        Membership {
            organization: self.session.caller.org.clone(),
            role: self.role,
        }
    }
}

impl FromRequest for OrgMember {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = BrowserSession::from_request(req, payload);
        let state = AppState::from_request(req);
        // An id that is not a number names no organisation of the caller's either.
        let org_id = req
            .match_info()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok());
        Box::pin(async move {
            let (state, mut session) = (state?, session.await?);
            let org_id = org_id.ok_or(ApiError::NotFound("organization"))?;
            let user_id = session.caller.user.id;
            // Never a 403 for an organisation the caller is not in: it must not learn it exists.
            let Membership { organization, role } = state
                .db
                .read(move |conn| OrganizationRow::membership(conn, org_id, user_id))
                .await?
                .ok_or(ApiError::NotFound("organization"))?;
            session.caller = Caller {
                org: organization,
                role: Some(role),
                ..session.caller
            };
            Ok(Self { session, role })
        })
    }
}

impl Authenticated for OrgMember {
    fn caller(&self) -> &Caller {
        &self.session.caller
    }
}

/// The session's answers, and 404 for an organisation the caller is not a member of.
impl utoipa::IntoResponses for OrgMember {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = BrowserSession::responses();
        responses.insert(
            "404".to_owned(),
            RefOr::T(error(
                "not_found: no such organization, or the caller is not a member",
            )),
        );
        responses
    }
}
