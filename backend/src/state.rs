//! What every handler shares: configuration, the database, the token keys, the rate limiters
//! and the payment provider.

use actix_web::{HttpRequest, web};

use crate::{
    auth::jwt::JwtKeys, config::Config, db::Db, error::ApiError, http::rate_limit::RateLimits,
    payments::Provider,
};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    pub jwt: JwtKeys,
    pub rate_limits: RateLimits,
    pub payments: Provider,
}

pub type State = web::Data<AppState>;

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let jwt = JwtKeys::new(&config.jwt_secret, config.access_token_ttl);
        let rate_limits = RateLimits::new(&config);
        let payments = Provider::for_config(&config);
        Self {
            config,
            db,
            jwt,
            rate_limits,
            payments,
        }
    }

    /// The state from inside an extractor.
    pub fn from_request(req: &HttpRequest) -> Result<State, ApiError> {
        req.app_data::<State>()
            .cloned()
            .ok_or_else(|| ApiError::internal("AppState is not registered"))
    }
}
