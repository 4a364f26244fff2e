//! The debit of a paid call: its credits and a ledger row in one transaction, handed to the
//! refund middleware once committed.

use actix_web::{HttpMessage, HttpRequest};
use shared::dto::LedgerKind;
use tokio::sync::oneshot;

use super::refund::{ChargeRecord, PendingCharge};
use crate::{
    auth::Caller,
    db::DbError,
    error::ApiError,
    models::{LedgerRow, ledger::Posted},
    state::AppState,
};

/// Spends `price` credits of the caller's organisation for this request and returns the balance
/// left: one conditional `UPDATE ... WHERE credits >= N RETURNING credits` plus a ledger row
/// naming the caller, in one transaction. No check-then-write, so concurrent calls can never
/// overspend, whichever members and keys make them.
pub(super) async fn spend(req: &HttpRequest, caller: &Caller, price: i64) -> Result<i64, ApiError> {
    let (organization_id, actor) = (caller.org.id, caller.actor());
    let state = AppState::from_request(req)?;
    // The refund middleware waits on this channel. The record is sent from inside the blocking
    // task right after the commit, so even if this future is dropped (another extractor of the
    // handler failed first) a completed charge is still seen and refunded.
    let (sender, receiver) = oneshot::channel();
    req.extensions_mut().insert(PendingCharge::new(receiver));
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
            let posted = LedgerRow::post(conn, organization_id, actor, -price, &spend, None)?;
            if let Posted::Applied { entry_id, .. } = posted {
                let _ = sender.send(ChargeRecord {
                    organization_id,
                    actor,
                    amount: price,
                    entry_id,
                    route,
                });
            }
            Ok::<_, DbError>(posted)
        })
        .await?;
    match posted {
        Posted::Applied { balance, .. } => Ok(balance),
        Posted::Insufficient | Posted::Duplicate => Err(ApiError::InsufficientCredits),
    }
}
