//! `RequireCredits`: access for callers with a positive balance, spending nothing.

use std::collections::BTreeMap;

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use shared::dto::Permission;
use utoipa::openapi::{RefOr, Response};

use crate::{
    auth::Caller,
    error::ApiError,
    http::openapi::{Credentials, add_permission, error, guard_responses},
};

/// Subscription-style access: the caller's organisation must hold a positive balance, which is
/// not spent, and a member's role must grant `spend`.
#[derive(Debug, Clone)]
pub struct RequireCredits {
    pub caller: Caller,
}

impl FromRequest for RequireCredits {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = Caller::authenticate(&req).await?;
            caller.require(Permission::Spend)?;
            if caller.org.credits <= 0 {
                return Err(ApiError::InsufficientCredits);
            }
            Ok(Self { caller })
        })
    }
}

/// 401, 402 and 403, for the OpenAPI document (`http::openapi`).
impl utoipa::IntoResponses for RequireCredits {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = guard_responses(
            Credentials::BearerOrKey,
            "account_disabled",
            [(
                "402",
                error("insufficient_credits: needs a positive balance"),
            )],
        );
        add_permission(Permission::Spend, &mut responses);
        responses
    }
}
