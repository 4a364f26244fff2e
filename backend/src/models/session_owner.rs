//! What a Bearer request authenticates as: the user of the session its access token was minted
//! from, provided that session is still signed in, and their membership of the organisation the
//! token acts in. One read answers all three, so a sign-out, a reused refresh token, a password
//! change or a member's removal ends their access tokens at once, at no extra query.

use diesel::prelude::*;
use shared::dto::OrgRole;

use super::{OrganizationRow, UserRow, now, organization::Membership};
use crate::db::{
    AnyConnection, BatchLoad,
    schema::{memberships, organizations, sessions, users},
};

/// A session, its user, whether it is still signed in, and the user's membership of the
/// organisation asked for.
#[derive(Debug, Clone)]
pub struct SessionOwner {
    pub session_id: i64,
    pub owner: UserRow,
    /// Some row of the session's family (the latest rotation) is neither revoked nor expired:
    /// an access token minted before a refresh stays good, one of a signed-out family does not.
    pub signed_in: bool,
    pub membership: Membership,
}

diesel::alias!(sessions as live: LiveSessions);

/// Sessions by id with a membership by organisation id (`AppState::sessions`), many per query. A
/// session whose user is not a member of the organisation is not found.
impl BatchLoad for SessionOwner {
    /// (session id, organisation id)
    type Key = (i64, i64);

    fn key(&self) -> (i64, i64) {
        (self.session_id, self.membership.organization.id)
    }

    fn load(conn: &mut AnyConnection, keys: &[(i64, i64)]) -> QueryResult<Vec<Self>> {
        let signed_in = diesel::dsl::exists(
            live.filter(live.field(sessions::family_id).eq(sessions::family_id))
                .filter(live.field(sessions::revoked_at).is_null())
                .filter(live.field(sessions::expires_at).gt(now())),
        );
        let rows = sessions::table
            .inner_join(
                users::table.inner_join(memberships::table.inner_join(organizations::table)),
            )
            .select((
                sessions::id,
                users::all_columns,
                signed_in,
                organizations::all_columns,
                memberships::role,
            ));
        type Row = (i64, UserRow, bool, OrganizationRow, String);
        let rows: Vec<Row> = match keys {
            // The common case when idle: a statement the connection has already prepared.
            [(session_id, org_id)] => rows
                .filter(sessions::id.eq(session_id))
                .filter(memberships::organization_id.eq(org_id))
                .load(conn)?,
            // Every pair of the ids asked for: the rows of pairs not asked for are dropped below.
            _ => {
                let sessions: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let orgs: Vec<i64> = keys.iter().map(|k| k.1).collect();
                rows.filter(sessions::id.eq_any(sessions))
                    .filter(memberships::organization_id.eq_any(orgs))
                    .load(conn)?
            }
        };
        Ok(rows
            .into_iter()
            .filter(|(session_id, _, _, org, _)| keys.contains(&(*session_id, org.id)))
            .filter_map(|(session_id, owner, signed_in, organization, role)| {
                Some(Self {
                    session_id,
                    owner,
                    signed_in,
                    membership: Membership {
                        organization,
                        role: OrgRole::parse(&role)?,
                    },
                })
            })
            .collect())
    }
}
