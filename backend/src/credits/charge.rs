//! The debit of a paid call: its credits and a ledger row in one transaction, handed to the
//! refund middleware once committed.

use actix_web::{HttpMessage, HttpRequest};
use shared::dto::LedgerKind;
use tokio::sync::oneshot;

use super::{
    idempotency::Idempotent,
    refund::{ChargeRecord, PendingCharge},
};
use crate::{
    auth::Caller,
    db::{AnyConnection, DbError},
    error::ApiError,
    models::{
        LedgerRow,
        idempotency::{Claim, IdempotencyKeys, StoredAnswer, Taken},
        key_spend::{KeyWindows, LimitReached},
        ledger::Posted,
    },
    state::AppState,
};

/// What a paid call's debit came to, when it may go on.
pub(super) enum Charged {
    /// Spent: the balance left, and the debit (for a settlement).
    Spent { remaining: i64, debit: ChargeRecord },
    /// The same request was answered before under its idempotency key: nothing spent.
    Replay(StoredAnswer),
}

/// Spends `price` credits of the caller's organisation for this request to `route` (`route_of`)
/// and returns the balance left: one conditional `UPDATE ... WHERE credits >= N RETURNING credits` plus a ledger row
/// naming the caller, in one transaction. No check-then-write, so concurrent calls can never
/// overspend, whichever members and keys make them.
///
/// A key with a spend limit has the spend checked and counted against its windows by one
/// conditional UPDATE in the same transaction (which locks its row on PostgreSQL), so 1,000
/// concurrent calls on a key with 30 credits left in its window succeed exactly 30 times. An
/// idempotency key is claimed in the same transaction too, and given up when nothing is spent.
pub(super) async fn spend(
    req: &HttpRequest,
    caller: &Caller,
    route: String,
    price: i64,
    idempotent: Option<Idempotent>,
) -> Result<Charged, ApiError> {
    let (organization_id, actor) = (caller.org.id, caller.actor());
    let limited_key = caller.limited_key();
    let state = AppState::from_request(req)?;
    let at = state.clock.now();
    // The refund middleware waits on this channel. The record is sent once the debit has
    // committed, by the write itself, so even if this future is dropped (another extractor of
    // the handler failed first) a completed charge is still seen and refunded, and a debit whose
    // commit failed is never refunded.
    let (sender, receiver) = oneshot::channel();
    let committed = move |spent: &Result<Spent, DbError>| {
        if let Ok(Spent::Posted(_, Some(debit))) = spent {
            let _ = sender.send(debit.clone());
        }
    };
    req.extensions_mut().insert(PendingCharge::new(receiver));
    let debit = move |conn: &mut AnyConnection| {
        let claim = match idempotent {
            Some(Idempotent { key, fingerprint }) => {
                let key = key.as_str();
                match IdempotencyKeys::claim(conn, organization_id, key, &fingerprint, at)? {
                    Claim::Claimed => Some(key.to_owned()),
                    Claim::Taken(taken) => return Ok(Spent::Taken(taken)),
                }
            }
            None => None,
        };
        let release = |conn: &mut _| match &claim {
            Some(key) => IdempotencyKeys::release(conn, organization_id, key),
            None => Ok(()),
        };
        if let Some(key_id) = limited_key
            && let Err(reached) = KeyWindows::count(conn, key_id, price, at)?
        {
            release(conn)?;
            return Ok(Spent::KeyLimit(reached));
        }
        let spend = LedgerKind::Spend {
            route: route.clone(),
        };
        let posted = LedgerRow::post(conn, organization_id, actor, -price, &spend, None)?;
        if let Posted::Applied { entry_id, .. } = posted {
            let debit = ChargeRecord {
                organization_id,
                actor,
                amount: price,
                entry_id,
                route,
                limited_key: limited_key.map(|key_id| (key_id, at)),
                claim,
            };
            return Ok(Spent::Posted(posted, Some(debit)));
        }
        // Not spent: the key's windows get back what was counted.
        if let Some(key_id) = limited_key {
            KeyWindows::give_back(conn, key_id, price, at)?;
        }
        release(conn)?;
        Ok::<_, DbError>(Spent::Posted(posted, None))
    };
    let spent = state.db.write_then(debit, committed).await?;
    match spent {
        Spent::Posted(Posted::Applied { balance, .. }, Some(debit)) => Ok(Charged::Spent {
            remaining: balance,
            debit,
        }),
        Spent::Posted(..) => Err(ApiError::InsufficientCredits),
        Spent::KeyLimit(reached) => Err(ApiError::KeySpendLimit {
            window: reached.window.name(),
            limit: reached.limit,
            resets_at: reached.resets_at,
        }),
        Spent::Taken(Taken::Answered(answer)) => Ok(Charged::Replay(answer)),
        Spent::Taken(Taken::Reused) => Err(ApiError::IdempotencyKeyReused),
        Spent::Taken(Taken::InProgress) => Err(ApiError::IdempotencyInProgress),
    }
}

/// The route a request matched, as the ledger records it: `POST /api/generate-text`.
pub(super) fn route_of(req: &HttpRequest) -> String {
    format!(
        "{} {}",
        req.method(),
        req.match_pattern().unwrap_or_else(|| req.path().to_owned())
    )
}

/// What a debit came to: posted (or not, for want of credits), refused by the key's limit, or
/// not attempted as the idempotency key was taken.
enum Spent {
    /// With the debit when it was applied.
    Posted(Posted, Option<ChargeRecord>),
    KeyLimit(LimitReached),
    Taken(Taken),
}
