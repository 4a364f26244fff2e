//! `Charge<N>`: the extractor that authenticates the caller and spends N credits before the
//! handler runs.

use std::collections::BTreeMap;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::future::LocalBoxFuture;
use shared::dto::LedgerKind;
use tokio::sync::oneshot;
use utoipa::openapi::{RefOr, Response};

use super::refund::{ChargeRecord, PendingCharge};
use crate::{
    auth::Caller,
    db::DbError,
    error::ApiError,
    http::openapi::{Credentials, guard_responses, price_response},
    models::{LedgerRow, ledger::Posted},
    state::AppState,
};

/// Extracting `Charge<N>` authenticates the caller (Bearer token or API key) and spends `N`
/// credits: one conditional `UPDATE ... WHERE credits >= N RETURNING credits` plus a ledger row,
/// in one transaction. No check-then-write, so concurrent calls can never overspend.
#[derive(Debug, Clone)]
pub struct Charge<const N: i64> {
    pub caller: Caller,
    /// The balance left after this charge, for the response.
    pub remaining: i64,
}

impl<const N: i64> Charge<N> {
    const PRICE: i64 = {
        assert!(N > 0, "a Charge<N> must cost at least one credit");
        N
    };
}

impl<const N: i64> FromRequest for Charge<N> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        // The refund middleware waits on this channel. The record is sent from inside the
        // blocking task right after the commit, so even if this future is dropped (another
        // extractor of the handler failed first) a completed charge is still seen and refunded.
        let (sender, receiver) = oneshot::channel();
        req.extensions_mut().insert(PendingCharge::new(receiver));
        Box::pin(async move {
            let price = Self::PRICE;
            let state = AppState::from_request(&req)?;
            let caller = Caller::authenticate(&req).await?;
            let user_id = caller.user.id;
            let route = format!(
                "{} {}",
                req.method(),
                req.match_pattern().unwrap_or_else(|| req.path().to_owned())
            );
            let posted = state
                .db
                .write(move |conn| {
                    let spend = LedgerKind::Spend {
                        route: route.clone(),
                    };
                    let posted = LedgerRow::post(conn, user_id, -price, &spend, None)?;
                    if let Posted::Applied { entry_id, .. } = posted {
                        let _ = sender.send(ChargeRecord {
                            user_id,
                            amount: price,
                            entry_id,
                            route,
                        });
                    }
                    Ok::<_, DbError>(posted)
                })
                .await?;
            match posted {
                Posted::Applied { balance, .. } => Ok(Self {
                    caller,
                    remaining: balance,
                }),
                Posted::Insufficient | Posted::Duplicate => Err(ApiError::InsufficientCredits),
            }
        })
    }
}

/// 401, 402 (with the price) and 403, for the OpenAPI document (`http::openapi`).
impl<const N: i64> utoipa::IntoResponses for Charge<N> {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        guard_responses(
            Credentials::BearerOrKey,
            "account_disabled",
            [("402", price_response(Self::PRICE))],
        )
    }
}
