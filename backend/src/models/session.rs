//! Refresh-token sessions. Tokens rotate on every use; each rotation stays in its family, so
//! presenting a token that was already rotated (a stolen copy being replayed, or the thief's
//! copy after the owner refreshed) revokes the whole family.

use std::time::Duration;

use chrono::NaiveDateTime;

/// How long a session lives: `idle` past its last refresh (`REFRESH_TOKEN_TTL`), and never past
/// `max` after its sign-in (`SESSION_MAX_AGE`), however often it is refreshed.
#[derive(Debug, Clone, Copy)]
pub struct Lifetime {
    pub idle: Duration,
    pub max: Duration,
}
use diesel::prelude::*;

use super::{after, now};
use crate::{
    auth::secret::{random_token, sha256_hex},
    db::{AnyConnection, schema::sessions},
};

const TOKEN_LEN: usize = 48;

#[derive(Debug, Clone, Queryable, Identifiable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub token_hash: String,
    pub family_id: String,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The family's absolute end: no refresh lives past it.
    pub ends_at: NaiveDateTime,
    /// The family's sign-in: when its user last gave their password.
    pub authenticated_at: NaiveDateTime,
    /// The organisation the family last switched to; `None`: the user's personal one.
    pub organization_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NewSession<'a> {
    user_id: i64,
    token_hash: &'a str,
    family_id: &'a str,
    expires_at: NaiveDateTime,
    created_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    authenticated_at: NaiveDateTime,
    organization_id: Option<i64>,
}

/// A session just issued: the refresh token (for the cookie; stored only as a hash) and its id.
pub struct IssuedSession {
    pub id: i64,
    pub user_id: i64,
    pub refresh_token: String,
    /// The family's sign-in, for the access token's `auth_time`.
    pub authenticated_at: NaiveDateTime,
    /// The organisation the family last switched to (`None`: the personal one).
    pub organization_id: Option<i64>,
}

/// What a family's rows share: its sign-in, its absolute end and its organisation.
#[derive(Clone, Copy)]
struct Span {
    authenticated_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    organization_id: Option<i64>,
}

/// What presenting a refresh token came to.
pub enum Rotation {
    /// A fresh token in the same family; the presented one is spent.
    Rotated(IssuedSession),
    /// The token was already spent: its whole family is now revoked.
    Reused,
    Expired,
    /// No session has this token.
    Unknown,
}

impl SessionRow {
    /// Starts a new session family (a sign-in).
    pub fn start(
        conn: &mut AnyConnection,
        user_id: i64,
        lifetime: Lifetime,
    ) -> QueryResult<IssuedSession> {
        let family_id = uuid::Uuid::new_v4().to_string();
        let at = now();
        let span = Span {
            authenticated_at: at,
            ends_at: after(at, lifetime.max),
            organization_id: None,
        };
        Self::issue(conn, user_id, &family_id, lifetime.idle, span)
    }

    fn issue(
        conn: &mut AnyConnection,
        user_id: i64,
        family_id: &str,
        idle: Duration,
        span: Span,
    ) -> QueryResult<IssuedSession> {
        let Span {
            authenticated_at,
            ends_at,
            organization_id,
        } = span;
        let refresh_token = random_token(TOKEN_LEN);
        let created_at = now();
        let id = diesel::insert_into(sessions::table)
            .values(NewSession {
                user_id,
                token_hash: &sha256_hex(&refresh_token),
                family_id,
                expires_at: after(created_at, idle).min(ends_at),
                created_at,
                ends_at,
                authenticated_at,
                organization_id,
            })
            .returning(sessions::id)
            .get_result(conn)?;
        Ok(IssuedSession {
            id,
            user_id,
            refresh_token,
            authenticated_at,
            organization_id,
        })
    }

    /// The user a refresh token belongs to, whatever the session's state.
    pub fn owner_of(conn: &mut AnyConnection, refresh_token: &str) -> QueryResult<Option<i64>> {
        sessions::table
            .filter(sessions::token_hash.eq(sha256_hex(refresh_token)))
            .select(sessions::user_id)
            .get_result(conn)
            .optional()
    }

    /// Exchanges a refresh token for a new one in the same family. Run inside a write
    /// transaction and commit whatever the outcome: on `Reused` the family has been revoked.
    pub fn rotate(
        conn: &mut AnyConnection,
        refresh_token: &str,
        idle: Duration,
    ) -> QueryResult<Rotation> {
        let found: Option<Self> = sessions::table
            .filter(sessions::token_hash.eq(sha256_hex(refresh_token)))
            .get_result(conn)
            .optional()?;
        let Some(session) = found else {
            return Ok(Rotation::Unknown);
        };
        let at = now();
        if session.revoked_at.is_some() {
            tracing::warn!(
                user_id = session.user_id,
                "refresh token reused: revoking its session family"
            );
            Self::revoke_family(conn, &session.family_id)?;
            return Ok(Rotation::Reused);
        }
        if session.expires_at <= at {
            return Ok(Rotation::Expired);
        }
        // Guarded by `revoked_at IS NULL`: of two concurrent refreshes with one token, one wins
        // (PostgreSQL; SQLite runs them one by one). The loser presented a spent token, as a
        // replay would: the family goes, on both databases alike.
        let revoked = diesel::update(
            sessions::table
                .find(session.id)
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(at))
        .execute(conn)?;
        if revoked == 0 {
            Self::revoke_family(conn, &session.family_id)?;
            return Ok(Rotation::Reused);
        }
        Self::issue(
            conn,
            session.user_id,
            &session.family_id,
            idle,
            Span {
                authenticated_at: session.authenticated_at,
                ends_at: session.ends_at,
                organization_id: session.organization_id,
            },
        )
        .map(Rotation::Rotated)
    }

    /// Makes `organization_id` the one session `id`'s family acts in from its next refresh on
    /// (the caller re-issues the access token for the switch itself).
    pub fn switch_organization(
        conn: &mut AnyConnection,
        id: i64,
        organization_id: i64,
    ) -> QueryResult<()> {
        let family: Option<String> = sessions::table
            .find(id)
            .select(sessions::family_id)
            .get_result(conn)
            .optional()?;
        let Some(family) = family else {
            return Ok(());
        };
        diesel::update(sessions::table.filter(sessions::family_id.eq(family)))
            .set(sessions::organization_id.eq(organization_id))
            .execute(conn)
            .map(drop)
    }

    /// Deletes the sessions whose refresh token has expired, revoked ones included (a replay of an
    /// expired token is refused without them). Safe on several replicas at once: deleting twice
    /// deletes nothing more. Returns how many went.
    pub fn purge_expired(conn: &mut AnyConnection) -> QueryResult<usize> {
        diesel::delete(sessions::table.filter(sessions::expires_at.lt(now()))).execute(conn)
    }

    fn revoke_family(conn: &mut AnyConnection, family_id: &str) -> QueryResult<()> {
        diesel::update(
            sessions::table
                .filter(sessions::family_id.eq(family_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(now()))
        .execute(conn)
        .map(drop)
    }

    /// Sign-out of the session holding this refresh token (no-op when unknown).
    pub fn revoke_token(conn: &mut AnyConnection, refresh_token: &str) -> QueryResult<()> {
        diesel::update(
            sessions::table
                .filter(sessions::token_hash.eq(sha256_hex(refresh_token)))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(now()))
        .execute(conn)
        .map(drop)
    }

    /// Revokes every session of the user, but the family of `keep` (the caller's own session).
    pub fn revoke_all_for_user(
        conn: &mut AnyConnection,
        user_id: i64,
        keep: Option<i64>,
    ) -> QueryResult<()> {
        let keep_family: Option<String> = match keep {
            Some(id) => sessions::table
                .find(id)
                .select(sessions::family_id)
                .get_result(conn)
                .optional()?,
            None => None,
        };
        let mut query = diesel::update(sessions::table)
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .into_boxed();
        if let Some(family) = keep_family {
            query = query.filter(sessions::family_id.ne(family));
        }
        query
            .set(sessions::revoked_at.eq(now()))
            .execute(conn)
            .map(drop)
    }
}
