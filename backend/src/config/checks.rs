//! Settings checked beyond their syntax: ranges, and the weak values prod mode refuses.

use std::net::SocketAddr;

use super::{
    Mode,
    env::{ConfigError, Env},
};

/// `BCRYPT_COST`, 12 by default: 4 to 31 (bcrypt's bounds), at least 10 in prod.
pub fn bcrypt_cost(env: &Env, mode: Mode) -> Result<u32, ConfigError> {
    const VAR: &str = "BCRYPT_COST";
    let cost = env.number(VAR, 12)?;
    if !(4..=31).contains(&cost) {
        return Err(ConfigError::new(VAR, "must be between 4 and 31"));
    }
    if mode == Mode::Prod && cost < 10 {
        return Err(ConfigError::new(VAR, "must be at least 10 in prod mode"));
    }
    Ok(cost)
}

/// A count of which zero would leave nothing working: a pool of no connection (`DB_POOL_SIZE`),
/// no API key allowed (`MAX_API_KEYS`).
pub fn at_least_one(env: &Env, var: &'static str, default: u32) -> Result<u32, ConfigError> {
    match env.number(var, default)? {
        0 => Err(ConfigError::new(var, "must be at least 1")),
        count => Ok(count),
    }
}

/// `PUBLIC_URL` without a trailing slash; it must be an http(s) origin.
pub fn public_url(env: &Env) -> Result<Option<String>, ConfigError> {
    env.parse_with("PUBLIC_URL", |raw| {
        let url = raw.trim_end_matches('/');
        if url.starts_with("http://") || url.starts_with("https://") {
            Ok(url.to_owned())
        } else {
            Err("must start with http:// or https://".to_owned())
        }
    })
}

/// `BIND_ADDR`: dev mode hands out free credits, so it listens on a loopback address only, unless
/// `ALLOW_DEV_MODE_PUBLIC=true` says the network around it is private (a container's, say).
pub fn dev_mode_bind(env: &Env, mode: Mode, bind_addr: SocketAddr) -> Result<(), ConfigError> {
    if mode == Mode::Dev
        && !bind_addr.ip().is_loopback()
        && !env.bool("ALLOW_DEV_MODE_PUBLIC", false)?
    {
        return Err(ConfigError::new(
            "BIND_ADDR",
            format!(
                "{bind_addr} is not a loopback address, and dev mode gives credits away: set \
                 APP_MODE=prod, bind 127.0.0.1, or set ALLOW_DEV_MODE_PUBLIC=true"
            ),
        ));
    }
    Ok(())
}
