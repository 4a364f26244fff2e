//! Optimistic concurrency (RFC 9110 §13.1.1): a resource's answers carry its version as a strong
//! `ETag`; a change sent with `If-Match` is made only if the resource is still at a version it
//! names, so two people editing the same thing never overwrite each other unseen.

use actix_web::{
    FromRequest, HttpRequest,
    dev::Payload,
    http::header::{self, EntityTag},
};
use futures_util::future::{Ready, ready};

use crate::error::ApiError;

/// The `ETag` of a resource at `version`: `"7"`.
pub fn etag(version: i64) -> header::ETag {
    header::ETag(EntityTag::new_strong(version.to_string()))
}

/// The request's `If-Match`; without one, any version will do.
#[derive(Debug, Clone)]
pub struct IfMatch(Option<header::IfMatch>);

impl IfMatch {
    /// Whether a resource at `version` may be changed: `*`, no header, or a tag equal to its
    /// `ETag` by the strong comparison (a weak tag never matches).
    pub fn accepts(&self, version: i64) -> bool {
        match &self.0 {
            None | Some(header::IfMatch::Any) => true,
            Some(header::IfMatch::Items(tags)) => {
                let current = etag(version).0;
                tags.iter().any(|tag| tag.strong_eq(&current))
            }
        }
    }
}

impl IfMatch {
    /// Every `If-Match` line: `*`, or a comma-separated list of entity tags. Actix's own parser
    /// skips items it cannot read, so `If-Match: 3` would become an empty list; here a malformed
    /// condition is an error, never no condition.
    fn parse(req: &HttpRequest) -> Option<header::IfMatch> {
        let mut tags = Vec::new();
        for line in req.headers().get_all(header::IF_MATCH) {
            for item in line.to_str().ok()?.split(',') {
                match item.trim() {
                    "*" => return Some(header::IfMatch::Any),
                    tag => tags.push(tag.parse::<EntityTag>().ok()?),
                }
            }
        }
        Some(header::IfMatch::Items(tags))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if !req.headers().contains_key(header::IF_MATCH) {
            return ready(Ok(Self(None)));
        }
        ready(
            Self::parse(req)
                .map(|condition| Self(Some(condition)))
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "If-Match must be * or a list of quoted ETags, such as \"3\"".to_owned(),
                    )
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn if_match(value: Option<&str>) -> Result<IfMatch, ApiError> {
        let mut req = TestRequest::default();
        if let Some(value) = value {
            req = req.insert_header((header::IF_MATCH, value));
        }
        IfMatch::from_request(&req.to_http_request(), &mut Payload::None).into_inner()
    }

    #[test]
    fn matches_by_strong_comparison() {
        let accepts = |value, version| if_match(value).unwrap().accepts(version);
        assert!(accepts(None, 3));
        assert!(accepts(Some("*"), 3));
        assert!(accepts(Some("\"3\""), 3));
        assert!(accepts(Some("\"2\", \"3\""), 3));
        assert!(!accepts(Some("\"2\""), 3));
        assert!(!accepts(Some("W/\"3\""), 3));
    }

    #[test]
    fn a_malformed_condition_is_refused() {
        for bad in ["3", "\"3", ""] {
            assert!(
                matches!(if_match(Some(bad)), Err(ApiError::BadRequest(_))),
                "{bad:?}"
            );
        }
    }
}
