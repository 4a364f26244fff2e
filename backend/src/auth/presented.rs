//! The credentials a request presents, parsed the same way by the rate limiter and the
//! extractors, and the API key's row, read once per request: the rate limiter reads it first (a
//! request counts under its user only once its key is verified) and leaves it to the extractor.

use actix_web::{HttpMessage, HttpRequest, http::header};

use crate::{error::ApiError, models::KeyOwner, state::AppState};

pub const API_KEY_HEADER: &str = "X-API-Key";

/// The credentials a request presents. Anything malformed is refused, even beside a valid one.
pub struct Presented<'a> {
    pub bearer: Option<&'a str>,
    pub api_key: Option<&'a str>,
}

impl<'a> Presented<'a> {
    pub fn from_request(req: &'a HttpRequest) -> Result<Self, ApiError> {
        let header_str = |name| {
            req.headers()
                .get(name)
                .map(|v| {
                    v.to_str()
                        .map(str::trim)
                        .map_err(|_| ApiError::Unauthorized)
                })
                .transpose()
        };
        let bearer = match header_str(header::AUTHORIZATION.as_str())? {
            None => None,
            Some(value) => match value.split_once(' ') {
                Some((scheme, token))
                    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
                {
                    Some(token.trim())
                }
                _ => return Err(ApiError::Unauthorized),
            },
        };
        let api_key = header_str(API_KEY_HEADER)?;
        if bearer.is_none() && api_key.is_none() {
            return Err(ApiError::Unauthorized);
        }
        Ok(Self { bearer, api_key })
    }
}

/// The row of the request's key, read ahead by the rate limiter.
struct ReadAhead(Option<KeyOwner>);

/// Who a verified key spends the rate limit of: its creator, and the key itself when it has a
/// limit of its own.
#[derive(Debug, Clone, Copy)]
pub struct KeyHolder {
    pub user_id: i64,
    pub key_id: i64,
    pub rate_limit_per_minute: Option<i64>,
}

/// Reads the live key `api_key` (the request's) and its owner, and leaves them in the request
/// for its extractor.
pub async fn read_key_ahead(
    state: &AppState,
    req: &HttpRequest,
    api_key: &str,
) -> Result<Option<KeyHolder>, ApiError> {
    let found = read_key(state, req, api_key).await?;
    let holder = found.as_ref().map(|k| KeyHolder {
        user_id: k.creator.id,
        key_id: k.key.id,
        rate_limit_per_minute: k.key.rate_limit_per_minute,
    });
    req.extensions_mut().insert(ReadAhead(found));
    Ok(holder)
}

/// The live key `api_key` (the request's) and its owner: the row read ahead, else read now.
pub async fn read_key(
    state: &AppState,
    req: &HttpRequest,
    api_key: &str,
) -> Result<Option<KeyOwner>, ApiError> {
    let read_ahead = req.extensions_mut().remove::<ReadAhead>();
    if let Some(ReadAhead(found)) = read_ahead {
        return Ok(found);
    }
    match KeyOwner::lookup_hash(api_key) {
        Some(hash) => Ok(state.keys.get(hash).await?),
        None => Ok(None),
    }
}
