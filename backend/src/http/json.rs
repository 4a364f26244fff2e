//! `Json<T>`: Actix's JSON extractor, but only for a JSON object. serde's derive also reads a
//! struct from an array (`["a@example.com","pw"]` as `{email, password}`), which the contract
//! does not allow and no client means. `JsonOrEmpty<T>` is the same for an optional body.

use std::ops::Deref;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::ApiError;

#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let raw = RawJson::from_request(req, payload);
        Box::pin(async move { Ok(Self(raw.await?.parse()?)) })
    }
}

/// A JSON body as sent, syntax checked: for a handler that needs its text as well as its
/// value (a paid call's idempotency fingerprint).
#[derive(Debug)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The body as a `T`, which only a JSON object can be.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !self.text().trim_start().starts_with('{') {
            return Err(ApiError::Validation {
                field: None,
                message: "the request body must be a JSON object".to_owned(),
            });
        }
        serde_json::from_str(self.text()).map_err(|e| ApiError::Validation {
            field: None,
            message: format!("invalid request body: {e}"),
        })
    }
}

impl FromRequest for RawJson {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // The body limit, content type and syntax errors stay Actix's (see `error::json_error`).
        let raw = web::Json::<Box<RawValue>>::from_request(req, payload);
        Box::pin(async move { Ok(Self(raw.await?.into_inner())) })
    }
}

/// A JSON object body that may be left out: no body at all reads as `T::default()`; a body is
/// read as `Json<T>` reads it, errors included.
#[derive(Debug)]
pub struct JsonOrEmpty<T>(pub T);

impl<T> JsonOrEmpty<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + Default + 'static> FromRequest for JsonOrEmpty<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = req.headers();
        let no_body = !headers.contains_key(header::TRANSFER_ENCODING)
            && headers
                .get(header::CONTENT_LENGTH)
                .is_none_or(|length| length.as_bytes() == b"0");
        if no_body {
            return Box::pin(std::future::ready(Ok(Self(T::default()))));
        }
        let json = Json::<T>::from_request(req, payload);
        Box::pin(async move { json.await.map(|Json(body)| Self(body)) })
    }
}
