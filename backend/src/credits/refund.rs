//! The end of a paid request: the middleware that gives a charge back when its request ends in
//! an error, and keeps the answer of one sent with an idempotency key.

use std::sync::Mutex;

use actix_web::{
    Error, HttpMessage,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use shared::dto::LedgerKind;
use tokio::sync::oneshot;

use diesel::QueryResult;

use super::idempotency::keep_answer;
use crate::{
    db::AnyConnection,
    error::log_error_chain,
    models::{
        LedgerRow,
        idempotency::IdempotencyKeys,
        key_spend::KeyWindows,
        ledger::{Actor, Posted},
    },
    state::AppState,
};

/// A spend that was committed for this request.
#[derive(Debug, Clone)]
pub(super) struct ChargeRecord {
    pub organization_id: i64,
    pub actor: Actor,
    pub amount: i64,
    pub entry_id: i64,
    pub route: String,
    /// The key and the time of the spend, when it counted against the key's limit.
    pub limited_key: Option<(i64, chrono::NaiveDateTime)>,
    /// The idempotency key the request claimed (the organisation's).
    pub claim: Option<String>,
}

/// Put in the request's extensions by `charge::spend`; resolves when the debit has committed (or
/// closes without a record when nothing was spent).
pub(super) struct PendingCharge(Mutex<Option<oneshot::Receiver<ChargeRecord>>>);

impl PendingCharge {
    pub fn new(receiver: oneshot::Receiver<ChargeRecord>) -> Self {
        Self(Mutex::new(Some(receiver)))
    }
}

/// Put in the request's extensions by a metered route's settlement: the credits of its charge
/// already given back, which a refund on failure does not give again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Settled(pub i64);

/// Middleware: when a request that spent credits ends in an error response (the handler failed,
/// or another extractor refused the input), the credits go back, with a ledger row whose unique
/// reference makes the refund happen at most once, and its idempotency key is given up. When it
/// succeeds, the answer is kept for the retries of its idempotency key.
pub async fn finish_paid_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Not cloned before routing: Actix needs the request unshared to record the matched path.
    let res = next.call(req).await?;
    let request = res.request().clone();
    let pending = request
        .extensions()
        .get::<PendingCharge>()
        .and_then(|p| p.0.lock().ok().and_then(|mut r| r.take()));
    let Some(receiver) = pending else {
        return Ok(res.map_into_boxed_body());
    };
    let failed = res.status().is_client_error() || res.status().is_server_error();
    let Ok(record) = receiver.await else {
        return Ok(res.map_into_boxed_body());
    };
    let state = AppState::from_request(&request)?;
    match (failed, record.claim.clone()) {
        (true, _) => {
            let settled = request.extensions().get::<Settled>().map_or(0, |s| s.0);
            refund(&state, record, settled).await;
            Ok(res.map_into_boxed_body())
        }
        (false, Some(key)) => keep_answer(&state, record.organization_id, key, res).await,
        (false, None) => Ok(res.map_into_boxed_body()),
    }
}

/// Gives what is left of the charge `record` (`settled` went back already) back and its
/// idempotency key up, in one transaction.
async fn refund(state: &AppState, record: ChargeRecord, settled: i64) {
    let result = state
        .db
        .write(move |conn| {
            let reference = format!("refund:{}", record.entry_id);
            let left = record.amount - settled;
            if left > 0 {
                give_back(conn, &record, left, &reference)?;
            }
            if let Some(key) = &record.claim {
                IdempotencyKeys::release(conn, record.organization_id, key)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .await;
    if let Err(e) = result {
        log_error_chain(&e, "could not refund a failed paid request");
    }
}

/// Gives `amount` credits of the charge `record` back, with a refund row whose unique
/// `reference` makes it happen at most once, and to the key's spend window (inside `Db::write`).
pub(super) fn give_back(
    conn: &mut AnyConnection,
    record: &ChargeRecord,
    amount: i64,
    reference: &str,
) -> QueryResult<Posted> {
    let refund = LedgerKind::Refund {
        refunded_entry_id: record.entry_id,
        route: record.route.clone(),
    };
    let posted = LedgerRow::post(
        conn,
        record.organization_id,
        record.actor,
        amount,
        &refund,
        Some(reference),
    )?;
    // Once, as the row: a duplicate posts nothing.
    if let (Posted::Applied { .. }, Some((key_id, spent_at))) = (&posted, record.limited_key) {
        KeyWindows::give_back(conn, key_id, amount, spent_at)?;
    }
    Ok(posted)
}
