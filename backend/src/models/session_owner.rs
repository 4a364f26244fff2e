//! What a Bearer request authenticates as: the user of the session its access token was minted
//! from, provided that session is still signed in. One read answers both, so a sign-out, a reused
//! refresh token or a password change ends the session's access tokens at once, at no extra query.

use diesel::prelude::*;

use super::{UserRow, now};
use crate::db::{
    AnyConnection, BatchLoad,
    schema::{sessions, users},
};

/// A session that is still signed in, and its user.
#[derive(Debug, Clone)]
pub struct SessionOwner {
    pub session_id: i64,
    pub owner: UserRow,
}

diesel::alias!(sessions as live: LiveSessions);

/// Session rows by id (`AppState::sessions`), many per query. A row is found while its family is
/// signed in: some row of the family (the latest rotation) is neither revoked nor expired. An
/// access token minted before a refresh stays good; one of a signed-out family does not.
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
        let rows = sessions::table
            .inner_join(users::table)
            .filter(signed_in)
            .select((sessions::id, users::all_columns));
        let rows: Vec<(i64, UserRow)> = match ids {
            // The common case when idle: a statement the connection has already prepared.
            [id] => rows.filter(sessions::id.eq(id)).load(conn)?,
            _ => rows.filter(sessions::id.eq_any(ids)).load(conn)?,
        };
        Ok(rows
            .into_iter()
            .map(|(session_id, owner)| Self { session_id, owner })
            .collect())
    }
}
