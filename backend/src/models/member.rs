//! The members of an organisation: listing them, changing their roles, removing them. Every
//! change that could leave an organisation without an owner locks the organisation's row first
//! and counts its owners in the same transaction, so two owners demoting each other at once
//! cannot both succeed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{Member, OrgRole, Permission};

use super::{OrganizationRow, now, to_utc};
use crate::db::{
    AnyConnection, is_unique_violation,
    schema::{memberships, users},
};

/// What changing a role or removing a member came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberChange {
    Done(Option<Member>),
    /// No such member of this organisation.
    NotFound,
    /// It would leave the organisation without an owner: nothing written.
    LastOwner,
    /// Only an owner may make or unmake an owner: nothing written.
    OwnersOnly,
}

#[derive(Insertable)]
#[diesel(table_name = memberships)]
struct NewMembership<'a> {
    organization_id: i64,
    user_id: i64,
    role: &'a str,
    created_at: NaiveDateTime,
}

/// The membership queries.
pub struct Members;

impl Members {
    /// The organisation's members, owners first, then by when they joined.
    pub fn list(conn: &mut AnyConnection, org_id: i64) -> QueryResult<Vec<Member>> {
        let rows: Vec<(i64, String, String, NaiveDateTime)> = memberships::table
            .inner_join(users::table)
            .filter(memberships::organization_id.eq(org_id))
            .order((memberships::created_at, memberships::user_id))
            .select((
                memberships::user_id,
                users::email,
                memberships::role,
                memberships::created_at,
            ))
            .load(conn)?;
        let mut members: Vec<Member> = rows
            .into_iter()
            .filter_map(|(user_id, email, role, joined)| {
                Some(Member {
                    user_id,
                    email,
                    role: OrgRole::parse(&role)?,
                    joined_at: to_utc(joined),
                })
            })
            .collect();
        members.sort_by_key(|m| m.role != OrgRole::Owner);
        Ok(members)
    }

    pub fn find(
        conn: &mut AnyConnection,
        org_id: i64,
        user_id: i64,
    ) -> QueryResult<Option<Member>> {
        Ok(Self::list(conn, org_id)?
            .into_iter()
            .find(|m| m.user_id == user_id))
    }

    /// Adds `user_id` with `role`; an existing member keeps the role they have. Returns whether
    /// they were added.
    pub fn add(
        conn: &mut AnyConnection,
        org_id: i64,
        user_id: i64,
        role: OrgRole,
    ) -> QueryResult<bool> {
        if Self::role_of(conn, org_id, user_id)?.is_some() {
            return Ok(false);
        }
        let inserted = diesel::insert_into(memberships::table)
            .values(NewMembership {
                organization_id: org_id,
                user_id,
                role: role.as_str(),
                created_at: now(),
            })
            .execute(conn);
        match inserted {
            Ok(_) => Ok(true),
            // Only reachable on a race the caller's lock did not prevent: they are a member.
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Gives member `user_id` the role `role`, on behalf of a member whose role is `by`.
    pub fn set_role(
        conn: &mut AnyConnection,
        org_id: i64,
        user_id: i64,
        role: OrgRole,
        by: OrgRole,
    ) -> QueryResult<MemberChange> {
        OrganizationRow::lock(conn, org_id)?;
        let Some(current) = Self::role_of(conn, org_id, user_id)? else {
            return Ok(MemberChange::NotFound);
        };
        if (current == OrgRole::Owner || role == OrgRole::Owner)
            && !by.can(Permission::OwnOrganization)
        {
            return Ok(MemberChange::OwnersOnly);
        }
        if current == OrgRole::Owner && role != OrgRole::Owner && Self::owners(conn, org_id)? <= 1 {
            return Ok(MemberChange::LastOwner);
        }
        diesel::update(
            memberships::table
                .filter(memberships::organization_id.eq(org_id))
                .filter(memberships::user_id.eq(user_id)),
        )
        .set(memberships::role.eq(role.as_str()))
        .execute(conn)?;
        Ok(MemberChange::Done(Self::find(conn, org_id, user_id)?))
    }

    /// Removes member `user_id` on behalf of a member whose role is `by` (themself when they
    /// leave). Keys they created stay the organisation's and keep working.
    pub fn remove(
        conn: &mut AnyConnection,
        org_id: i64,
        user_id: i64,
        by: OrgRole,
    ) -> QueryResult<MemberChange> {
        OrganizationRow::lock(conn, org_id)?;
        let Some(current) = Self::role_of(conn, org_id, user_id)? else {
            return Ok(MemberChange::NotFound);
        };
        if current == OrgRole::Owner && !by.can(Permission::OwnOrganization) {
            return Ok(MemberChange::OwnersOnly);
        }
        if current == OrgRole::Owner && Self::owners(conn, org_id)? <= 1 {
            return Ok(MemberChange::LastOwner);
        }
        diesel::delete(
            memberships::table
                .filter(memberships::organization_id.eq(org_id))
                .filter(memberships::user_id.eq(user_id)),
        )
        .execute(conn)?;
        Ok(MemberChange::Done(None))
    }

    /// Whether a member of the organisation signs in with `email` (normalised).
    pub fn has_email(conn: &mut AnyConnection, org_id: i64, email: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            memberships::table
                .inner_join(users::table)
                .filter(memberships::organization_id.eq(org_id))
                .filter(users::email.eq(email)),
        ))
        .get_result(conn)
    }

    pub fn role_of(
        conn: &mut AnyConnection,
        org_id: i64,
        user_id: i64,
    ) -> QueryResult<Option<OrgRole>> {
        let role: Option<String> = memberships::table
            .filter(memberships::organization_id.eq(org_id))
            .filter(memberships::user_id.eq(user_id))
            .select(memberships::role)
            .get_result(conn)
            .optional()?;
        Ok(role.as_deref().and_then(OrgRole::parse))
    }

    fn owners(conn: &mut AnyConnection, org_id: i64) -> QueryResult<i64> {
        memberships::table
            .filter(memberships::organization_id.eq(org_id))
            .filter(memberships::role.eq(OrgRole::Owner.as_str()))
            .count()
            .get_result(conn)
    }
}
