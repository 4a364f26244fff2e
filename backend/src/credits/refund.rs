//! Refunds: the middleware that gives a charge back when its request ends in an error.

use std::sync::Mutex;

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use shared::dto::LedgerKind;
use tokio::sync::oneshot;

use crate::{
    error::log_error_chain,
    models::{
        LedgerRow,
        key_spend::KeyWindows,
        ledger::{Actor, Posted},
    },
    state::AppState,
};

/// A spend that was committed for this request.
#[derive(Debug)]
pub(super) struct ChargeRecord {
    pub organization_id: i64,
    pub actor: Actor,
    pub amount: i64,
    pub entry_id: i64,
    pub route: String,
    /// The key and the time of the spend, when it counted against the key's limit.
    pub limited_key: Option<(i64, chrono::NaiveDateTime)>,
}

/// Put in the request's extensions by `charge::spend`; resolves when the debit has committed (or
/// closes without a record when nothing was spent).
pub(super) struct PendingCharge(Mutex<Option<oneshot::Receiver<ChargeRecord>>>);

impl PendingCharge {
    pub fn new(receiver: oneshot::Receiver<ChargeRecord>) -> Self {
        Self(Mutex::new(Some(receiver)))
    }
}

/// Middleware: when a request that spent credits ends in an error response (the handler failed,
/// or another extractor refused the input), the credits go back, with a ledger row whose unique
/// reference makes the refund happen at most once.
pub async fn refund_failed_charges(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    // Not cloned before routing: Actix needs the request unshared to record the matched path.
    let res = next.call(req).await?;
    let request = res.request().clone();
    let pending = request
        .extensions()
        .get::<PendingCharge>()
        .and_then(|p| p.0.lock().ok().and_then(|mut r| r.take()));
    let Some(receiver) = pending else {
        return Ok(res);
    };
    if !(res.status().is_client_error() || res.status().is_server_error()) {
        return Ok(res);
    }
    let Ok(record) = receiver.await else {
        return Ok(res);
    };
    if let Ok(state) = AppState::from_request(&request) {
        let result = state
            .db
            .write(move |conn| {
                let refund = LedgerKind::Refund {
                    refunded_entry_id: record.entry_id,
                    route: record.route,
                };
                let reference = format!("refund:{}", record.entry_id);
                let posted = LedgerRow::post(
                    conn,
                    record.organization_id,
                    record.actor,
                    record.amount,
                    &refund,
                    Some(&reference),
                )?;
                // The key's window gets the credits back too (once: a duplicate posts nothing).
                if let (Posted::Applied { .. }, Some((key_id, spent_at))) =
                    (&posted, record.limited_key)
                {
                    KeyWindows::give_back(conn, key_id, record.amount, spent_at)?;
                }
                Ok::<_, diesel::result::Error>(posted)
            })
            .await;
        if let Err(e) = result {
            log_error_chain(&e, "could not refund a failed paid request");
        }
    }
    Ok(res)
}
