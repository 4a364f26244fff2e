use actix_web::{FromRequest, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;

use crate::{auth::Caller, error::ApiError};

/// Subscription-style access: the caller must hold a positive balance, which is not spent.
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
            if caller.user.credits <= 0 {
                return Err(ApiError::InsufficientCredits);
            }
            Ok(Self { caller })
        })
    }
}
