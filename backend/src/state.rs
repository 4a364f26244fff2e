//! What every handler shares: configuration, the database, the token keys, password hashing,
//! the rate limiters, the payment provider, email and file storage.

use std::sync::Arc;

use actix_web::{HttpRequest, web};

use crate::{
    auth::{jwt::JwtKeys, password::Passwords},
    clock::Clock,
    config::Config,
    db::{BatchReader, BatchWriter, Db},
    error::ApiError,
    http::{rate_limit::RateLimits, readiness::Readiness},
    mail::Mail,
    models::{KeyOwner, SessionOwner, idempotency::Answer},
    oauth::Providers,
    payments::Provider,
    storage::Storage,
};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    /// Signed-in sessions and their users by session id, read in batches: every Bearer request.
    pub sessions: BatchReader<SessionOwner>,
    /// Live API keys and their owners by key hash, read in batches: every `X-API-Key` request.
    pub keys: BatchReader<KeyOwner>,
    /// The answers of paid requests sent with an idempotency key, written in batches.
    pub answers: BatchWriter<Answer>,
    pub jwt: JwtKeys,
    pub passwords: Passwords,
    /// Shared with the housekeeping task that evicts idle buckets.
    pub rate_limits: Arc<RateLimits>,
    /// `/readyz`'s last database probe.
    pub readiness: Readiness,
    pub payments: Provider,
    pub mail: Mail,
    /// The identity providers users sign in with.
    pub oauth: Providers,
    /// What key expiry and grace periods are judged by.
    pub clock: Clock,
    /// Where attachments' bytes are kept.
    pub storage: Arc<Storage>,
}

pub type State = web::Data<AppState>;

impl AppState {
    pub fn new(
        config: Config,
        db: Db,
        mail: Mail,
        clock: Clock,
        storage: Arc<Storage>,
    ) -> std::io::Result<Self> {
        let jwt = JwtKeys::new(
            config.tokens.keys()?,
            &config.tokens.issuer,
            &config.tokens.audience,
            config.access_token_ttl,
        );
        let passwords = Passwords::new(config.bcrypt_cost, config.bcrypt_queue);
        let rate_limits = Arc::new(RateLimits::new(&config));
        let payments = Provider::for_config(&config);
        let oauth = Providers::new(&config.oauth_providers);
        let sessions = BatchReader::spawn("session-reader", db.clone())?;
        let keys = BatchReader::spawn("key-reader", db.clone())?;
        let answers = BatchWriter::spawn("answer-writer", db.clone())?;
        Ok(Self {
            config,
            db,
            sessions,
            keys,
            answers,
            jwt,
            passwords,
            rate_limits,
            readiness: Readiness::default(),
            payments,
            mail,
            oauth,
            clock,
            storage,
        })
    }

    /// The state from inside an extractor.
    pub fn from_request(req: &HttpRequest) -> Result<State, ApiError> {
        req.app_data::<State>()
            .cloned()
            .ok_or_else(|| ApiError::internal("AppState is not registered"))
    }
}
