//! Organisations and their members. An organisation holds the credits its members and keys
//! spend. Every user has a personal organisation, made with the account, of which they are the
//! owner.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{ActiveOrganization, OrgBalance, OrgMembership, OrgRole, Organization};

use super::{member::Members, now, to_utc};
use crate::db::{
    AnyConnection, Prepared, on_backend,
    schema::{memberships, organizations, users},
};

/// The name a personal organisation starts with.
const PERSONAL_NAME: &str = "Personal";

#[derive(Debug, Clone, Queryable)]
#[diesel(table_name = organizations)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    /// The user whose personal organisation this is; `None` for a team's.
    pub personal_user_id: Option<i64>,
    pub created_at: NaiveDateTime,
    /// The balance: never negative, always the sum of the organisation's ledger.
    pub credits: i64,
    /// What its attachments add up to, in bytes: never over `STORAGE_QUOTA_BYTES`.
    pub storage_used: i64,
}

/// A member's view of an organisation: the organisation and their role in it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub organization: OrganizationRow,
    pub role: OrgRole,
}

#[derive(Insertable)]
#[diesel(table_name = organizations)]
struct NewOrganization<'a> {
    name: &'a str,
    personal_user_id: Option<i64>,
    created_at: NaiveDateTime,
    credits: i64,
}

/// What deleting an organisation came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    /// A personal organisation lives as long as its user.
    Personal,
    /// Credits would be lost: spend or move them first.
    HasCredits,
}

impl Membership {
    /// Joins a row of `organizations` with a `memberships.role`; `None` for a role this release
    /// does not know (the column's CHECK allows none), which grants nothing.
    pub fn from_row((organization, role): (OrganizationRow, String)) -> Option<Self> {
        Some(Self {
            organization,
            role: OrgRole::parse(&role)?,
        })
    }

    pub fn to_dto(&self) -> OrgMembership {
        OrgMembership {
            organization: self.organization.to_dto(),
            role: self.role,
        }
    }

    pub fn to_active(&self) -> ActiveOrganization {
        self.organization.to_active(Some(self.role))
    }
}

impl OrganizationRow {
    pub fn to_dto(&self) -> Organization {
        Organization {
            id: self.id,
            name: self.name.clone(),
            personal: self.personal_user_id.is_some(),
            created_at: to_utc(self.created_at),
        }
    }

    /// The organisation as its caller acts in it, with their role (`None` for an API key).
    pub fn to_active(&self, role: Option<OrgRole>) -> ActiveOrganization {
        ActiveOrganization {
            id: self.id,
            name: self.name.clone(),
            personal: self.personal_user_id.is_some(),
            role,
        }
    }

    /// The personal organisation of a user just created, owned by them. Call it in the
    /// transaction that creates the user.
    pub fn create_personal(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Self> {
        Self::create(conn, PERSONAL_NAME, Some(user_id), user_id)
    }

    /// A team's organisation named `name`, owned by `owner`.
    pub fn create_team(conn: &mut AnyConnection, name: &str, owner: i64) -> QueryResult<Self> {
        Self::create(conn, name, None, owner)
    }

    fn create(
        conn: &mut AnyConnection,
        name: &str,
        personal_user_id: Option<i64>,
        owner: i64,
    ) -> QueryResult<Self> {
        let at = now();
        let organization: Self = diesel::insert_into(organizations::table)
            .values(NewOrganization {
                name,
                personal_user_id,
                created_at: at,
                credits: 0,
            })
            .returning(organizations::all_columns)
            .get_result(conn)?;
        Members::add(conn, organization.id, owner, OrgRole::Owner)?;
        Ok(organization)
    }

    pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Self>> {
        organizations::table.find(id).get_result(conn).optional()
    }

    pub fn personal_of(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<Self>> {
        organizations::table
            .filter(organizations::personal_user_id.eq(user_id))
            .get_result(conn)
            .optional()
    }

    /// `user_id`'s membership of organisation `id`; `None` when they are not a member.
    pub fn membership(
        conn: &mut AnyConnection,
        id: i64,
        user_id: i64,
    ) -> QueryResult<Option<Membership>> {
        let row = organizations::table
            .inner_join(memberships::table)
            .filter(memberships::organization_id.eq(id))
            .filter(memberships::user_id.eq(user_id))
            .select((organizations::all_columns, memberships::role))
            .get_result(conn)
            .optional()?;
        Ok(row.and_then(Membership::from_row))
    }

    /// The organisation a session of `user_id` acts in: `preferred` (the one last switched to)
    /// while they are a member of it, else their personal one. `None` only for a user without a
    /// personal organisation, which sign-up and the migrations never leave.
    pub fn active(
        conn: &mut AnyConnection,
        user_id: i64,
        preferred: Option<i64>,
    ) -> QueryResult<Option<Membership>> {
        if let Some(id) = preferred
            && let Some(membership) = Self::membership(conn, id, user_id)?
        {
            return Ok(Some(membership));
        }
        match Self::personal_of(conn, user_id)? {
            Some(personal) => Self::membership(conn, personal.id, user_id),
            None => Ok(None),
        }
    }

    /// The organisations `user_id` belongs to, with their role in each: the personal one first,
    /// then the others oldest first.
    pub fn of_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<Membership>> {
        let rows: Vec<(Self, String)> = organizations::table
            .inner_join(memberships::table)
            .filter(memberships::user_id.eq(user_id))
            .order((organizations::personal_user_id.is_null(), organizations::id))
            .select((organizations::all_columns, memberships::role))
            .load(conn)?;
        Ok(rows.into_iter().filter_map(Membership::from_row).collect())
    }

    /// Every organisation with its balance and member count, newest first; `before` is the id of
    /// the last one already seen (keyset pagination). For site admins.
    pub fn list_balances(
        conn: &mut AnyConnection,
        limit: i64,
        before: Option<i64>,
    ) -> QueryResult<Vec<OrgBalance>> {
        let members = memberships::table
            .filter(memberships::organization_id.eq(organizations::id))
            .count()
            .single_value();
        let owner_email = memberships::table
            .inner_join(users::table)
            .filter(memberships::organization_id.eq(organizations::id))
            .filter(memberships::role.eq(OrgRole::Owner.as_str()))
            .order((memberships::created_at, memberships::user_id))
            .select(users::email)
            .limit(1)
            .single_value();
        let rows: Vec<(Self, Option<i64>, Option<String>)> = organizations::table
            .filter(organizations::id.lt(before.unwrap_or(i64::MAX)))
            .order(organizations::id.desc())
            .limit(limit)
            .select((organizations::all_columns, members, owner_email))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(organization, members, owner_email)| OrgBalance {
                organization: organization.to_dto(),
                credits: organization.credits,
                members: members.unwrap_or(0),
                owner_email,
            })
            .collect())
    }

    pub fn rename(conn: &mut AnyConnection, id: i64, name: &str) -> QueryResult<Option<Self>> {
        diesel::update(organizations::table.find(id))
            .set(organizations::name.eq(name))
            .returning(organizations::all_columns)
            .get_result(conn)
            .optional()
    }

    /// Deletes a team's organisation with no credits left, with its memberships, keys and
    /// ledger. The balance is checked in the delete's own statement, so a purchase landing at
    /// the same moment is never lost.
    pub fn delete(conn: &mut AnyConnection, id: i64) -> QueryResult<Deletion> {
        let deleted = diesel::delete(
            organizations::table
                .find(id)
                .filter(organizations::personal_user_id.is_null())
                .filter(organizations::credits.eq(0)),
        )
        .execute(conn)?;
        if deleted == 1 {
            return Ok(Deletion::Deleted);
        }
        Ok(match Self::find(conn, id)? {
            Some(org) if org.personal_user_id.is_some() => Deletion::Personal,
            _ => Deletion::HasCredits,
        })
    }

    /// Holds the organisation's row until the transaction ends, so that checks made on its rows
    /// (how many keys) stay true until it commits. PostgreSQL locks the row; SQLite's writers
    /// already run one at a time.
    pub fn lock(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
        if let AnyConnection::Postgresql(pg) = conn {
            organizations::table
                .find(id)
                .select(organizations::id)
                .for_update()
                .execute(pg)?;
        }
        Ok(())
    }

    /// Adds `delta` (negative to spend) in ONE statement that also refuses to go below zero:
    /// `UPDATE organizations SET credits = credits + delta WHERE id = ? AND credits >= -delta
    /// RETURNING credits`. `None` means not enough credits (or no such organisation). Concurrent
    /// calls cannot both pass a check that only one of them can afford: the row lock decides.
    pub fn adjust_credits(
        conn: &mut AnyConnection,
        id: i64,
        delta: i64,
    ) -> QueryResult<Option<i64>> {
        let adjust = Prepared(
            diesel::update(
                organizations::table
                    .filter(organizations::id.eq(id))
                    .filter(organizations::credits.ge(-delta)),
            )
            .set(organizations::credits.eq(organizations::credits + delta))
            .returning(organizations::credits),
        );
        on_backend!(conn, |c| adjust.get_result(c)).optional()
    }
}
