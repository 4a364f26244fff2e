//! Download links' tokens: what `GET /api/attachment-links/{token}` takes instead of
//! credentials. Like a presigned S3 URL, a token is a capability: whoever holds it may download
//! one file of one organisation until it expires (5 minutes, `storage::DOWNLOAD_URL_TTL`), and
//! nothing else. It is an EdDSA JWT signed with the access tokens' keys (no secret of its own; a
//! key rotation covers it too), kept apart from access tokens both ways:
//!
//! - its header says `typ: attachment-link+jwt` (RFC 8725's explicit typing) and its `aud` is the
//!   link route's URL, `{PUBLIC_URL}/api/attachment-links`: an access token (`typ: JWT`, `aud`
//!   `JWT_AUDIENCE`) is refused here;
//! - it has no `sub` (nor `ver`, `sid`), which access tokens require, besides the audience they
//!   check: a link's token is refused as a Bearer token.
//!
//! Its expiry is judged by the server's clock (`state.clock`), which the tests move. It names
//! the file by id and organisation, and the object by a digest of its storage key: a file deleted
//! and its id used again (SQLite may) does not revive the link.

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::jwt::JwtKeys;
use crate::{error::ApiError, models::AttachmentRow};

/// The header's `typ` of a link's token.
const TYP: &str = "attachment-link+jwt";
/// Where a token is taken, under `PUBLIC_URL`: also its audience.
pub const LINK_PATH: &str = "/api/attachment-links";

#[derive(Debug, Serialize, Deserialize)]
struct LinkClaims {
    /// The attachment's id.
    att: i64,
    /// Its organisation's id.
    org: i64,
    /// `object_digest` of its storage key.
    obj: String,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

/// What a valid token lets its holder download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkGrant {
    pub attachment_id: i64,
    pub organization_id: i64,
    object: String,
}

impl LinkGrant {
    /// Whether `file` (found by the grant's id and organisation) is still the object the link
    /// was made for.
    pub fn names(&self, file: &AttachmentRow) -> bool {
        file.id == self.attachment_id
            && file.organization_id == self.organization_id
            && object_digest(&file.storage_key) == self.object
    }
}

/// 128 bits of SHA-256 of a storage key: names the object without telling its key.
fn object_digest(storage_key: &str) -> String {
    hex::encode(&Sha256::digest(storage_key.as_bytes())[..16])
}

fn audience(issuer: &str) -> String {
    format!("{issuer}{LINK_PATH}")
}

impl JwtKeys {
    /// A token for downloading `file` until `expires_at` (seconds since the epoch), issued at
    /// `now` (the server's clock).
    pub fn issue_attachment_link(
        &self,
        file: &AttachmentRow,
        now: i64,
        expires_at: i64,
    ) -> Result<String, ApiError> {
        let key = self.signing_key()?;
        let claims = LinkClaims {
            att: file.id,
            org: file.organization_id,
            obj: object_digest(&file.storage_key),
            iat: now,
            exp: expires_at,
            iss: self.issuer().to_owned(),
            aud: audience(self.issuer()),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(TYP.to_owned());
        header.kid = Some(key.kid.clone());
        jsonwebtoken::encode(&header, &claims, &key.encoding).map_err(ApiError::internal)
    }

    /// What `token` grants at `now` (seconds since the epoch, the server's clock): `None` unless
    /// it is a link's token (its `typ`), signed by one of our keys (the one its `kid` names,
    /// EdDSA only), for the link route (`iss`, `aud`) and not expired.
    pub fn verify_attachment_link(&self, token: &str, now: i64) -> Option<LinkGrant> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.typ.as_deref() != Some(TYP) {
            return None;
        }
        let key = self.key_named(header.kid.as_deref())?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        // Judged below by the server's clock, not the system's.
        validation.validate_exp = false;
        validation.set_issuer(&[self.issuer()]);
        validation.set_audience(&[audience(self.issuer())]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let claims = jsonwebtoken::decode::<LinkClaims>(token, &key.decoding, &validation)
            .ok()?
            .claims;
        (now < claims.exp).then_some(LinkGrant {
            attachment_id: claims.att,
            organization_id: claims.org,
            object: claims.obj,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::Utc;

    use super::*;
    use crate::auth::signing_key::SigningKey;

    const ISSUER: &str = "https://app.example.com";
    const NOW: i64 = 1_800_000_000;

    fn keys() -> JwtKeys {
        let (key, _) = SigningKey::generate().expect("a key");
        JwtKeys::new(vec![key], ISSUER, "SaaS Starter", Duration::from_secs(900))
    }

    fn file(storage_key: &str) -> AttachmentRow {
        AttachmentRow {
            id: 7,
            organization_id: 3,
            task_id: 1,
            name: "a.png".into(),
            size: 1,
            content_type: "image/png".into(),
            sha256: String::new(),
            storage_key: storage_key.into(),
            uploaded_by: None,
            created_at: Utc::now().naive_utc(),
        }
    }

    #[test]
    fn a_link_grants_its_file_until_it_expires() {
        let keys = keys();
        let file = file("orgs/3/abc");
        let token = keys
            .issue_attachment_link(&file, NOW, NOW + 300)
            .expect("a token");
        let grant = keys
            .verify_attachment_link(&token, NOW + 299)
            .expect("valid");
        assert_eq!((grant.attachment_id, grant.organization_id), (7, 3));
        assert!(grant.names(&file));
        assert!(!grant.names(&AttachmentRow {
            storage_key: "orgs/3/another".into(),
            ..file
        }));
        assert_eq!(keys.verify_attachment_link(&token, NOW + 300), None);
    }

    #[test]
    fn an_access_token_is_no_link_and_a_link_is_no_access_token() {
        let keys = keys();
        let access = keys.issue(1, 0, 1, NOW, 3).expect("an access token");
        assert_eq!(keys.verify_attachment_link(&access, NOW), None);
        let link = keys
            .issue_attachment_link(&file("orgs/3/abc"), Utc::now().timestamp(), i64::MAX)
            .expect("a token");
        assert!(keys.verify(&link).is_err());
    }

    #[test]
    fn another_servers_key_is_refused() {
        let token = keys()
            .issue_attachment_link(&file("orgs/3/abc"), NOW, NOW + 300)
            .expect("a token");
        assert_eq!(keys().verify_attachment_link(&token, NOW), None);
    }
}
