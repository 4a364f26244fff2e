//! bcrypt, always on the blocking pool: a hash costs ~220 ms at cost 12 and must not stall the
//! async workers that serve every other request.

use std::sync::OnceLock;

use actix_web::web;

use crate::error::ApiError;

/// At most one bcrypt per core at a time: more only queue on the CPU beside the async workers.
fn permits() -> &'static tokio::sync::Semaphore {
    static SEM: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    SEM.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, usize::from))
    })
}

pub async fn hash(password: String, cost: u32) -> Result<String, ApiError> {
    let _permit = permits().acquire().await.map_err(ApiError::internal)?;
    web::block(move || bcrypt::hash(password, cost))
        .await?
        .map_err(ApiError::internal)
}

/// Checks `password` against `stored`, or, when there is no such user, against a dummy hash of
/// the same cost: unknown emails and wrong passwords take the same time and get the same answer.
pub async fn verify(password: String, stored: Option<String>, cost: u32) -> Result<bool, ApiError> {
    let _permit = permits().acquire().await.map_err(ApiError::internal)?;
    web::block(move || match stored {
        Some(hash) => bcrypt::verify(password, &hash).unwrap_or(false),
        None => {
            let _ = bcrypt::verify(password, dummy_hash(cost));
            false
        }
    })
    .await
    .map_err(ApiError::from)
}

/// Whether a stored hash was made at another cost than `cost` (an older `BCRYPT_COST`): it
/// should be made again, at sign-in, while the password is at hand.
pub fn needs_rehash(stored: &str, cost: u32) -> bool {
    stored
        .parse::<bcrypt::HashParts>()
        .is_ok_and(|parts| parts.get_cost() != cost)
}

/// Made on first use (not at start-up, which must stay fast), one per cost: a process may run
/// servers of different costs (the tests do), and a dummy of the wrong cost would answer an
/// unknown email faster than a wrong password.
fn dummy_hash(cost: u32) -> &'static str {
    const COSTS: usize = 32; // bcrypt's costs are 4 to 31
    static DUMMIES: [OnceLock<String>; COSTS] = [const { OnceLock::new() }; COSTS];
    DUMMIES.get(cost as usize).map_or("", |dummy| {
        dummy.get_or_init(|| bcrypt::hash("not-a-real-password", cost).unwrap_or_default())
    })
}
