//! Sign-ins (and links) begun at an identity provider and not finished yet. The browser holds the
//! flow's `state` (in the provider's redirect and in a cookie); the database holds its SHA-256
//! with the PKCE verifier, the nonce and where to land, so any replica finishes the flow, and
//! `take` deletes it in the same statement that reads it: a `state` works once.

use std::time::Duration;

use diesel::prelude::*;

use super::{after, now};
use crate::{
    auth::secret::sha256_hex,
    db::{AnyConnection, schema::oauth_flows},
};

/// How long a user has at the provider before the flow is forgotten.
pub const FLOW_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// A flow in progress.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct OAuthFlow {
    pub provider: String,
    pub pkce_verifier: String,
    /// Empty for a provider without OpenID Connect.
    pub nonce: String,
    /// The app's page to land on (a checked `NextPath`).
    pub next_path: String,
    /// The signed-in user linking the provider; `None` for a sign-in.
    pub link_user_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = oauth_flows)]
struct NewFlow<'a> {
    state_hash: String,
    provider: &'a str,
    pkce_verifier: &'a str,
    nonce: &'a str,
    next_path: &'a str,
    link_user_id: Option<i64>,
    expires_at: chrono::NaiveDateTime,
}

impl OAuthFlow {
    /// Records the flow under `state`, for [`FLOW_LIFETIME`].
    pub fn save(&self, conn: &mut AnyConnection, state: &str) -> QueryResult<()> {
        diesel::insert_into(oauth_flows::table)
            .values(NewFlow {
                state_hash: sha256_hex(state),
                provider: &self.provider,
                pkce_verifier: &self.pkce_verifier,
                nonce: &self.nonce,
                next_path: &self.next_path,
                link_user_id: self.link_user_id,
                expires_at: after(now(), FLOW_LIFETIME),
            })
            .execute(conn)
            .map(drop)
    }

    /// The flow `state` began, if it has not expired, and it is gone from then on.
    pub fn take(conn: &mut AnyConnection, state: &str) -> QueryResult<Option<Self>> {
        diesel::delete(oauth_flows::table.filter(oauth_flows::state_hash.eq(sha256_hex(state))))
            .filter(oauth_flows::expires_at.gt(now()))
            .returning((
                oauth_flows::provider,
                oauth_flows::pkce_verifier,
                oauth_flows::nonce,
                oauth_flows::next_path,
                oauth_flows::link_user_id,
            ))
            .get_result(conn)
            .optional()
    }

    /// Forgets the flows nobody finished (housekeeping).
    pub fn purge_expired(conn: &mut AnyConnection) -> QueryResult<usize> {
        diesel::delete(oauth_flows::table.filter(oauth_flows::expires_at.le(now()))).execute(conn)
    }
}
