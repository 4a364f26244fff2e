//! `Paid<T, N>`: the extractor of a paid route. It authenticates the caller, reads the JSON body
//! `T` and checks its rules, and only then spends N credits of the organisation the caller acts
//! in: input the route refuses costs nothing and writes nothing. A member's role must grant
//! `spend` (not `billing`); an API key always may.

use std::collections::BTreeMap;

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use shared::{dto::Permission, validate::Validate};
use utoipa::openapi::{RefOr, Response};

use super::{
    charge::{self, Charged},
    idempotency::{Idempotent, Replay},
    refund::ChargeRecord,
};
use crate::{
    auth::Caller,
    error::ApiError,
    http::{
        json::RawJson,
        openapi::{Credentials, add_permission, guard_responses, price_response},
    },
};

/// A paid call, charged: its checked input, who made it, and the balance left.
///
/// The body is checked inside this one extractor because Actix runs a handler's extractors
/// together: beside a separate `Json<T>`, the debit could commit before the body is refused.
pub struct Paid<T: Validate, const N: i64> {
    /// The body once its rules passed.
    pub input: T::Valid,
    pub caller: Caller,
    /// The balance left after this charge, for the response.
    pub remaining: i64,
}

impl<T: Validate, const N: i64> Paid<T, N> {
    const PRICE: i64 = {
        assert!(N > 0, "a paid route must cost at least one credit");
        N
    };
}

impl<T, const N: i64> FromRequest for Paid<T, N>
where
    T: Validate + DeserializeOwned + 'static,
    T::Valid: 'static,
{
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let charge = charge_for::<T>(req, payload, |_| Self::PRICE);
        Box::pin(async move {
            let Charge {
                input,
                caller,
                remaining,
                ..
            } = charge.await?;
            Ok(Self {
                input,
                caller,
                remaining,
            })
        })
    }
}

/// A paid call's input once charged, and the charge.
pub(super) struct Charge<V> {
    pub input: V,
    pub caller: Caller,
    pub remaining: i64,
    pub debit: ChargeRecord,
    pub req: HttpRequest,
}

/// What a paid extractor does: authenticates the caller, whose role must grant `spend` (a key
/// needs `paid:call`), reads and checks the body `T`, then spends `price(input)` credits under
/// the request's idempotency key, if it sent one. A replay is an `Err` that answers as the
/// first request was answered.
pub(super) fn charge_for<T>(
    req: &HttpRequest,
    payload: &mut Payload,
    price: impl FnOnce(&T::Valid) -> i64 + 'static,
) -> LocalBoxFuture<'static, Result<Charge<T::Valid>, actix_web::Error>>
where
    T: Validate + DeserializeOwned + 'static,
    T::Valid: 'static,
{
    let req = req.clone();
    let body = RawJson::from_request(&req, payload);
    Box::pin(async move {
        let caller = Caller::authenticate(&req).await?;
        caller.require(Permission::Spend)?;
        let body = body.await?;
        let input = body.parse::<T>()?.validate().map_err(ApiError::from)?;
        // Once: matching the route runs the pattern of every route registered before it.
        let route = charge::route_of(&req);
        let idempotent = Idempotent::of(&req, &route, body.text())?;
        match charge::spend(&req, &caller, route, price(&input), idempotent).await? {
            Charged::Spent { remaining, debit } => Ok(Charge {
                input,
                caller,
                remaining,
                debit,
                req,
            }),
            Charged::Replay(answer) => Err(Replay(answer).into()),
        }
    })
}

/// 401, 402 (with the price) and 403, for the OpenAPI document (`http::openapi`); the 400 comes
/// with the route's `request_body`.
impl<T: Validate, const N: i64> utoipa::IntoResponses for Paid<T, N> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = guard_responses(
            Credentials::BearerOrKey,
            "account_disabled",
            [("402", price_response(Self::PRICE))],
        );
        add_permission(Permission::Spend, &mut responses);
        responses
    }
}
