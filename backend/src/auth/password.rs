//! bcrypt, always on the blocking pool: a hash costs ~220 ms at cost 12 and must not stall the
//! async workers that serve every other request. At most one hash per core runs at a time, and
//! at most `BCRYPT_QUEUE` more wait for a core: past that a request is refused at once (503
//! `busy`), rather than every sign-in waiting behind a flood.

use std::sync::{Arc, OnceLock};

use actix_web::web;
use tokio::sync::Semaphore;
use utoipa::openapi::{RefOr, Response};

use crate::{error::ApiError, http::openapi::error};

/// How long a refused request is told to wait, in seconds: a place frees up each time a hash
/// ends (~0.2 s at cost 12).
const BUSY_RETRY_AFTER: u64 = 1;

/// The server's password hashing: its bcrypt cost and its bounded queue.
pub struct Passwords {
    cost: u32,
    /// One hash per core at a time: more only queue on the CPU beside the async workers.
    cores: Arc<Semaphore>,
    /// Places for a hash, running or waiting for a core.
    places: Arc<Semaphore>,
}

impl Passwords {
    pub fn new(cost: u32, queue: u16) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            cost,
            cores: Arc::new(Semaphore::new(cores)),
            places: Arc::new(Semaphore::new(cores + usize::from(queue))),
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let cost = self.cost;
        self.run(move || bcrypt::hash(password, cost))
            .await?
            .map_err(ApiError::internal)
    }

    /// Checks `password` against `stored`, or, when there is no such user, against a dummy hash
    /// of the same cost: unknown emails and wrong passwords take the same time and get the same
    /// answer.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let cost = self.cost;
        self.run(move || match stored {
            Some(hash) => bcrypt::verify(password, &hash).unwrap_or(false),
            None => {
                let _ = bcrypt::verify(password, dummy_hash(cost));
                false
            }
        })
        .await
    }

    /// Whether a stored hash was made at another cost than the current one (an older
    /// `BCRYPT_COST`): it should be made again, at sign-in, while the password is at hand.
    pub fn needs_rehash(&self, stored: &str) -> bool {
        stored
            .parse::<bcrypt::HashParts>()
            .is_ok_and(|parts| parts.get_cost() != self.cost)
    }

    /// Runs `hash` on the blocking pool once a core is free, or refuses at once when no place is
    /// left. The permits go with the job, not the request: a client that hangs up does not free
    /// a place while its hash still runs.
    async fn run<T: Send + 'static>(
        &self,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let place = Arc::clone(&self.places)
            .try_acquire_owned()
            .map_err(|_| ApiError::Busy {
                retry_after: BUSY_RETRY_AFTER,
            })?;
        let core = Arc::clone(&self.cores)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        web::block(move || {
            let _permits = (place, core);
            hash()
        })
        .await
        .map_err(ApiError::from)
    }
}

/// A route that hashes or checks a password lists this among its responses, for the OpenAPI
/// document: the 503 of a full queue.
impl utoipa::IntoResponses for Passwords {
    fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
        let busy = error("busy: too many password checks are waiting (see Retry-After)");
        [("503".to_owned(), RefOr::T(busy))].into()
    }
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
