//! bcrypt, always on the blocking pool: a hash costs ~220 ms at cost 12 and must not stall the
//! async workers that serve every other request.

use std::sync::OnceLock;

use actix_web::web;

use crate::error::ApiError;

pub async fn hash(password: String, cost: u32) -> Result<String, ApiError> {
    web::block(move || bcrypt::hash(password, cost))
        .await?
        .map_err(ApiError::internal)
}

/// Checks `password` against `stored`, or, when there is no such user, against a dummy hash of
/// the same cost: unknown emails and wrong passwords take the same time and get the same answer.
pub async fn verify(password: String, stored: Option<String>, cost: u32) -> Result<bool, ApiError> {
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

/// Made on first use (not at start-up, which must stay fast) with the configured cost.
fn dummy_hash(cost: u32) -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| bcrypt::hash("not-a-real-password", cost).unwrap_or_default())
}
