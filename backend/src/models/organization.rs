//! Organisations and their members. Every user has a personal organisation, made with the
//! account, of which they are the owner.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{OrgMembership, OrgRole, Organization};

use super::{now, to_utc};
use crate::db::{
    AnyConnection,
    schema::{memberships, organizations},
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
}

#[derive(Insertable)]
#[diesel(table_name = organizations)]
struct NewOrganization<'a> {
    name: &'a str,
    personal_user_id: Option<i64>,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = memberships)]
struct NewMembership<'a> {
    organization_id: i64,
    user_id: i64,
    role: &'a str,
    created_at: NaiveDateTime,
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
            })
            .returning(organizations::all_columns)
            .get_result(conn)?;
        diesel::insert_into(memberships::table)
            .values(NewMembership {
                organization_id: organization.id,
                user_id: owner,
                role: OrgRole::Owner.as_str(),
                created_at: at,
            })
            .execute(conn)?;
        Ok(organization)
    }

    /// The organisations `user_id` belongs to, with their role in each: the personal one first,
    /// then the others oldest first.
    pub fn of_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<OrgMembership>> {
        let rows: Vec<(Self, String)> = organizations::table
            .inner_join(memberships::table)
            .filter(memberships::user_id.eq(user_id))
            .order((organizations::personal_user_id.is_null(), organizations::id))
            .select((organizations::all_columns, memberships::role))
            .load(conn)?;
        // The column's CHECK allows only known roles; an unknown one would grant nothing.
        Ok(rows
            .into_iter()
            .filter_map(|(organization, role)| {
                Some(OrgMembership {
                    organization: organization.to_dto(),
                    role: OrgRole::parse(&role)?,
                })
            })
            .collect())
    }
}
