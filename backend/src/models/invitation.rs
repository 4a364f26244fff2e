//! Invitations to join an organisation. The link's token is random and stored only as its
//! SHA-256; one `UPDATE ... WHERE accepted_at IS NULL AND cancelled_at IS NULL AND expires_at >
//! now` accepts it, so a link raced twice joins once.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{Invitation, OrgRole};

use super::{after, now, to_utc};
use crate::{
    auth::secret::{random_token, sha256_hex},
    db::{
        AnyConnection,
        schema::{invitations, users},
    },
};

/// How long an invitation's link stays good.
pub const INVITATION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// At most this many pending invitations per organisation: an organisation cannot be used to
/// mail the world.
pub const MAX_PENDING: i64 = 50;
const TOKEN_LEN: usize = 48;

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub id: i64,
    pub organization_id: i64,
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = invitations)]
struct NewInvitation<'a> {
    organization_id: i64,
    email: &'a str,
    role: &'a str,
    token_hash: &'a str,
    invited_by: Option<i64>,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

/// An invitation just made: the only place its token appears (for the email).
pub struct Issued {
    pub invitation: Invitation,
    pub token: String,
}

/// The pending invitations of an organisation: neither accepted, cancelled nor expired.
macro_rules! pending {
    ($org_id:expr, $at:expr) => {
        invitations::table
            .filter(invitations::organization_id.eq($org_id))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::cancelled_at.is_null())
            .filter(invitations::expires_at.gt($at))
    };
}

impl InvitationRow {
    /// Invites `email` (normalised) with `role`, superseding the organisation's pending
    /// invitations of that address. `None` when the organisation already has `MAX_PENDING`
    /// others pending. Lock the organisation first (`OrganizationRow::lock`).
    pub fn issue(
        conn: &mut AnyConnection,
        org_id: i64,
        email: &str,
        role: OrgRole,
        invited_by: i64,
    ) -> QueryResult<Option<Issued>> {
        let at = now();
        diesel::update(pending!(org_id, at).filter(invitations::email.eq(email)))
            .set(invitations::cancelled_at.eq(at))
            .execute(conn)?;
        let pending: i64 = pending!(org_id, at).count().get_result(conn)?;
        if pending >= MAX_PENDING {
            return Ok(None);
        }
        let token = random_token(TOKEN_LEN);
        let row: Self = diesel::insert_into(invitations::table)
            .values(NewInvitation {
                organization_id: org_id,
                email,
                role: role.as_str(),
                token_hash: &sha256_hex(&token),
                invited_by: Some(invited_by),
                created_at: at,
                expires_at: after(at, INVITATION_LIFETIME),
            })
            .returning(invitations::all_columns)
            .get_result(conn)?;
        let inviter = users::table
            .find(invited_by)
            .select(users::email)
            .get_result(conn)
            .optional()?;
        Ok(row
            .into_dto(inviter)
            .map(|invitation| Issued { invitation, token }))
    }

    /// The organisation's pending invitations, newest first.
    pub fn pending(conn: &mut AnyConnection, org_id: i64) -> QueryResult<Vec<Invitation>> {
        let rows: Vec<(Self, Option<String>)> = pending!(org_id, now())
            .left_join(users::table)
            .order(invitations::id.desc())
            .select((invitations::all_columns, users::email.nullable()))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(row, inviter)| row.into_dto(inviter))
            .collect())
    }

    /// Cancels a pending invitation of the organisation; `false` when there is none with `id`.
    pub fn cancel(conn: &mut AnyConnection, org_id: i64, id: i64) -> QueryResult<bool> {
        diesel::update(pending!(org_id, now()).filter(invitations::id.eq(id)))
            .set(invitations::cancelled_at.eq(now()))
            .execute(conn)
            .map(|n| n == 1)
    }

    /// The pending invitation with this token, if any.
    pub fn find_pending(conn: &mut AnyConnection, token: &str) -> QueryResult<Option<Self>> {
        invitations::table
            .filter(invitations::token_hash.eq(sha256_hex(token)))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::cancelled_at.is_null())
            .filter(invitations::expires_at.gt(now()))
            .get_result(conn)
            .optional()
    }

    /// Marks the invitation accepted, if it still is pending: `false` when another request
    /// accepted or cancelled it first.
    pub fn accept(conn: &mut AnyConnection, id: i64) -> QueryResult<bool> {
        let at = now();
        diesel::update(
            invitations::table
                .find(id)
                .filter(invitations::accepted_at.is_null())
                .filter(invitations::cancelled_at.is_null())
                .filter(invitations::expires_at.gt(at)),
        )
        .set(invitations::accepted_at.eq(at))
        .execute(conn)
        .map(|n| n == 1)
    }

    /// Deletes invitations past their expiry, whatever became of them. Returns how many went.
    pub fn purge_expired(conn: &mut AnyConnection) -> QueryResult<usize> {
        diesel::delete(invitations::table.filter(invitations::expires_at.lt(now()))).execute(conn)
    }

    pub fn role(&self) -> Option<OrgRole> {
        OrgRole::parse(&self.role)
    }

    fn into_dto(self, invited_by: Option<String>) -> Option<Invitation> {
        Some(Invitation {
            id: self.id,
            role: self.role()?,
            email: self.email,
            invited_by,
            created_at: to_utc(self.created_at),
            expires_at: to_utc(self.expires_at),
        })
    }
}
