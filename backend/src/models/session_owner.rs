//! What a Bearer request authenticates as: the user of the session its access token was minted
//! from, provided that session is still signed in. One read answers both, so a sign-out, a reused
//! refresh token or a password change ends the session's access tokens at once, at no extra query.

use diesel::prelude::*;

use super::{UserRow, now};
use crate::db::{
    AnyConnection, BatchLoad,
    schema::{sessions, users},
};

/// A session, its user, and whether it is still signed in.
#[derive(Debug, Clone)]
pub struct SessionOwner {
    pub session_id: i64,
    pub owner: UserRow,
    /// Some row of the session's family (the latest rotation) is neither revoked nor expired:
    /// an access token minted before a refresh stays good, one of a signed-out family does not.
    pub signed_in: bool,
}

diesel::alias!(sessions as live: LiveSessions);

/// Session rows by id (`AppState::sessions`), many per query.
impl BatchLoad for SessionOwner {
    type Key = i64;

    fn key(&self) -> i64 {
        self.session_id
    }

    fn load(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        let signed_in = diesel::dsl::exists(
            live.filter(live.field(sessions::family_id).eq(sessions::family_id))
                .filter(live.field(sessions::revoked_at).is_null())
                .filter(live.field(sessions::expires_at).gt(now())),
        );
        let rows = sessions::table.inner_join(users::table).select((
            sessions::id,
            users::all_columns,
            signed_in,
        ));
        let rows: Vec<(i64, UserRow, bool)> = match ids {
            // The common case when idle: a statement the connection has already prepared.
            [id] => rows.filter(sessions::id.eq(id)).load(conn)?,
            _ => rows.filter(sessions::id.eq_any(ids)).load(conn)?,
        };
        Ok(rows
            .into_iter()
            .map(|(session_id, owner, signed_in)| Self {
                session_id,
                owner,
                signed_in,
            })
            .collect())
    }
}
