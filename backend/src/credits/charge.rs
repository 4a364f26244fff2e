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
    models::{
        LedgerRow,
        key_spend::{KeyWindows, LimitReached},
        ledger::Posted,
    },
    state::AppState,
};

/// Spends `price` credits of the caller's organisation for this request and returns the balance
/// left: one conditional `UPDATE ... WHERE credits >= N RETURNING credits` plus a ledger row
/// naming the caller, in one transaction. No check-then-write, so concurrent calls can never
/// overspend, whichever members and keys make them.
///
/// A key with a spend limit is locked first and its windows checked; the spend is counted in
/// the same transaction, so 1,000 concurrent calls on a key with 30 credits left in its window
/// succeed exactly 30 times.
pub(super) async fn spend(req: &HttpRequest, caller: &Caller, price: i64) -> Result<i64, ApiError> {
    let (organization_id, actor) = (caller.org.id, caller.actor());
    let limited_key = caller.limited_key();
    let state = AppState::from_request(req)?;
    let at = state.clock.now();
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
    let spent = state
        .db
        .write(move |conn| {
            let windows = limited_key
                .map(|key_id| KeyWindows::lock(conn, key_id, at))
                .transpose()?;
            if let Some(Err(reached)) = windows.map(|w| w.admits(price)) {
                return Ok(Spent::KeyLimit(reached));
            }
            let spend = LedgerKind::Spend {
                route: route.clone(),
            };
            let posted = LedgerRow::post(conn, organization_id, actor, -price, &spend, None)?;
            if let Posted::Applied { entry_id, .. } = posted {
                if let Some(windows) = windows {
                    windows.count(conn, price)?;
                }
                let _ = sender.send(ChargeRecord {
                    organization_id,
                    actor,
                    amount: price,
                    entry_id,
                    route,
                    limited_key: limited_key.map(|key_id| (key_id, at)),
                });
            }
            Ok::<_, DbError>(Spent::Posted(posted))
        })
        .await?;
    match spent {
        Spent::Posted(Posted::Applied { balance, .. }) => Ok(balance),
        Spent::Posted(Posted::Insufficient | Posted::Duplicate) => {
            Err(ApiError::InsufficientCredits)
        }
        Spent::KeyLimit(reached) => Err(ApiError::KeySpendLimit {
            window: reached.window.name(),
            limit: reached.limit,
            resets_at: reached.resets_at,
        }),
    }
}

/// What a debit came to: posted (or not, for want of credits), or refused by the key's limit.
enum Spent {
    Posted(Posted),
    KeyLimit(LimitReached),
}
