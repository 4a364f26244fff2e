//! What every handler shares: configuration, the database, the token keys, password hashing,
//! the rate limiters and the payment provider.

use std::sync::Arc;

use actix_web::{HttpRequest, web};

use crate::{
    auth::{jwt::JwtKeys, password::Passwords},
    config::Config,
    db::{BatchReader, Db},
    error::ApiError,
    http::rate_limit::RateLimits,
    models::{KeyOwner, UserRow},
    payments::Provider,
};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    /// Users by id, read in batches: every Bearer request looks its user up.
    pub users: BatchReader<UserRow>,
    /// Live API keys and their owners by key hash, read in batches: every `X-API-Key` request.
    pub keys: BatchReader<KeyOwner>,
    pub jwt: JwtKeys,
    pub passwords: Passwords,
    /// Shared with the housekeeping task that evicts idle buckets.
    pub rate_limits: Arc<RateLimits>,
    pub payments: Provider,
}

pub type State = web::Data<AppState>;

impl AppState {
    pub fn new(config: Config, db: Db) -> std::io::Result<Self> {
        let jwt = JwtKeys::new(&config.jwt_secret, config.access_token_ttl);
        let passwords = Passwords::new(config.bcrypt_cost, config.bcrypt_queue);
        let rate_limits = Arc::new(RateLimits::new(&config));
        let payments = Provider::for_config(&config);
        let users = BatchReader::spawn("user-reader", db.clone())?;
        let keys = BatchReader::spawn("key-reader", db.clone())?;
        Ok(Self {
            config,
            db,
            users,
            keys,
            jwt,
            passwords,
            rate_limits,
            payments,
        })
    }

    /// The state from inside an extractor.
    pub fn from_request(req: &HttpRequest) -> Result<State, ApiError> {
        req.app_data::<State>()
            .cloned()
            .ok_or_else(|| ApiError::internal("AppState is not registered"))
    }
}
