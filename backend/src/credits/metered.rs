//! `Metered<T>`: the extractor of a route whose price is known only once the work is done (by
//! the size of what it produced, say). Like `Paid<T, N>` it authenticates, checks the body and
//! only then charges, but it charges the most the input may cost (`MaxCost`), reserving it
//! before the work with the same atomic debit, key limits and idempotency; the handler then
//! `settle`s the actual cost and the rest goes back, with a refund row. An error answer refunds
//! what is still charged.
//!
//! ```ignore
//! async fn generate_story(mut paid: Metered<GenerateStoryRequest>) -> ... {
//!     let story = write(&paid.input);
//!     let remaining = paid.settle(cost_of(&story)).await?;
//! }
//! ```

use std::collections::BTreeMap;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use shared::{dto::Permission, validate::Validate};
use utoipa::openapi::{RefOr, Response};

use super::{
    paid::{Charge, charge_for},
    refund::{ChargeRecord, Settled, give_back},
};
use crate::{
    auth::Caller,
    error::ApiError,
    http::openapi::{Credentials, add_permission, guard_responses, metered_price_response},
    models::ledger::Posted,
    state::AppState,
};

/// A metered route's input: the most a call with it may cost, in credits (at least 1).
pub trait MaxCost: Validate {
    fn max_cost(input: &Self::Valid) -> i64;
}

/// A metered call with its most possible cost reserved: its checked input, who made it, what
/// was reserved and the balance left.
pub struct Metered<T: MaxCost> {
    /// The body once its rules passed.
    pub input: T::Valid,
    pub caller: Caller,
    /// The credits reserved (and spent) before the work.
    pub reserved: i64,
    /// The balance left: after the reservation, then after the settlement.
    pub remaining: i64,
    req: HttpRequest,
    debit: ChargeRecord,
    settled: bool,
}

impl<T: MaxCost> Metered<T> {
    /// Charges `cost` of the reserved credits for the work done and gives the rest back in one
    /// transaction (a refund row, and the key's spend window); returns the balance left. A cost
    /// above the reservation is charged as the reservation: a route cannot spend what it did not
    /// reserve. Settling again changes nothing.
    pub async fn settle(&mut self, cost: i64) -> Result<i64, ApiError> {
        if cost > self.reserved {
            tracing::warn!(
                cost,
                reserved = self.reserved,
                route = %self.debit.route,
                "a metered route settled above its reservation: charged the reservation"
            );
        }
        let unused = self.reserved - cost.clamp(0, self.reserved);
        if self.settled || unused == 0 {
            self.settled = true;
            return Ok(self.remaining);
        }
        let state = AppState::from_request(&self.req)?;
        let debit = self.debit.clone();
        let reference = format!("settle:{}", debit.entry_id);
        let posted = state
            .db
            .write(move |conn| give_back(conn, &debit, unused, &reference))
            .await?;
        self.settled = true;
        // A failure after this refunds only what is still charged.
        self.req.extensions_mut().insert(Settled(unused));
        match posted {
            Posted::Applied { balance, .. } => {
                self.remaining = balance;
                Ok(balance)
            }
            Posted::Insufficient | Posted::Duplicate => Err(ApiError::internal(
                "a settlement was refused or posted twice",
            )),
        }
    }
}

impl<T> FromRequest for Metered<T>
where
    T: MaxCost + DeserializeOwned + 'static,
    T::Valid: 'static,
{
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let reserve = |input: &T::Valid| T::max_cost(input).max(1);
        let charge = charge_for::<T>(req, payload, reserve);
        Box::pin(async move {
            let Charge {
                input,
                caller,
                remaining,
                debit,
                req,
            } = charge.await?;
            Ok(Self {
                reserved: debit.amount,
                input,
                caller,
                remaining,
                req,
                debit,
                settled: false,
            })
        })
    }
}

/// 401, 402 (the reservation) and 403, for the OpenAPI document (`http::openapi`).
impl<T: MaxCost> utoipa::IntoResponses for Metered<T> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = guard_responses(
            Credentials::BearerOrKey,
            "account_disabled",
            [("402", metered_price_response())],
        );
        add_permission(Permission::Spend, &mut responses);
        responses
    }
}
