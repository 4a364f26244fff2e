//! The background sender every replica runs: it claims due emails from the outbox, sends them,
//! and records each outcome. A request never waits for it: it only wakes it up.

use std::{sync::Arc, time::Duration};

use tokio::sync::Notify;

use super::transport::{SendError, Transport};
use crate::{
    db::Db,
    error::{ErrorChain, log_error_chain},
    models::{OutboxRow, after, now},
};

/// Emails claimed at once: one, so that every claim's lease (twice the send timeout) covers its
/// own delivery, never the ones queued before it.
const BATCH: i64 = 1;
/// How often the outbox is looked at without a wake-up (other replicas' emails, retries).
const POLL: Duration = Duration::from_secs(5);
/// The shortest pause after finding nothing to claim (rows due but locked by another replica).
const IDLE: Duration = Duration::from_millis(200);
/// Attempts before an email is given up (the retries span about an hour).
const MAX_ATTEMPTS: i32 = 12;
/// The longest pause between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30 * 60);

/// Sends what the outbox holds until the process ends. `wake` is notified by requests that just
/// committed an email; `send_timeout` bounds one delivery, and a claim lasts twice that.
pub async fn run(db: Db, transport: Transport, wake: Arc<Notify>, send_timeout: Duration) {
    let lease = send_timeout * 2;
    loop {
        match db
            .write(move |conn| OutboxRow::claim(conn, BATCH, lease))
            .await
        {
            Ok(emails) if !emails.is_empty() => {
                for email in emails {
                    deliver(&db, &transport, email, send_timeout).await;
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => log_error_chain(&e, "could not claim emails from the outbox"),
        }
        let pause = match db.read(OutboxRow::next_due).await {
            Ok(Some(due)) => (due - now()).to_std().unwrap_or_default().clamp(IDLE, POLL),
            _ => POLL,
        };
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(pause) => {}
        }
    }
}

async fn deliver(db: &Db, transport: &Transport, email: OutboxRow, timeout: Duration) {
    let (id, attempts) = (email.id, email.attempts);
    // lettre bounds each SMTP command; this bounds the whole delivery, within the claim's lease.
    let sent = tokio::time::timeout(timeout, transport.send(&email))
        .await
        .unwrap_or(Err(SendError::TimedOut(timeout)));
    let recorded = match sent {
        Ok(()) => {
            tracing::info!(email_id = id, kind = %email.kind, attempts, "email sent");
            db.write(move |conn| OutboxRow::mark_sent(conn, id)).await
        }
        Err(e) => {
            let retry_at = (e.is_transient() && attempts < MAX_ATTEMPTS)
                .then(|| after(now(), backoff(attempts)));
            log_error_chain(&e, "could not send an email");
            tracing::warn!(email_id = id, kind = %email.kind, attempts, ?retry_at, "email not sent");
            let reason = ErrorChain(&e).to_string();
            db.write(move |conn| OutboxRow::mark_failed(conn, id, &reason, retry_at))
                .await
        }
    };
    if let Err(e) = recorded {
        // The claim's lease ends and the email is tried again: sent twice at worst, never lost.
        log_error_chain(&e, "could not record an email's outcome");
    }
}

/// 2, 4, 8 ... seconds after the `attempts`th attempt, at most `MAX_BACKOFF`.
fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20)).unwrap_or(20);
    Duration::from_secs(2u64.pow(exponent)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_half_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(11), MAX_BACKOFF);
    }
}
