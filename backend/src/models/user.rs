//! Accounts: their credentials, site-wide role and state. Their credits live in organisations.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{OrgRole, Role, User};

use super::{OrganizationRow, now, to_utc};
use crate::db::{
    AnyConnection, is_unique_violation,
    schema::{organizations, users},
};

#[derive(Debug, Clone, Queryable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    /// [`UserRow::NO_PASSWORD`] for an account made through an identity provider, until one is
    /// set.
    pub password_hash: String,
    pub role: String,
    pub is_active: bool,
    pub token_version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When a link sent to `email` was followed; `None` until then.
    pub email_verified_at: Option<NaiveDateTime>,
}

/// What creating a user came to.
#[derive(Debug)]
pub enum CreateUser {
    Created(UserRow),
    /// Another account has this email; nothing was written.
    EmailTaken,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUser<'a> {
    email: &'a str,
    password_hash: &'a str,
    role: &'a str,
    is_active: bool,
    token_version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl UserRow {
    /// The stored "hash" of an account without a password: no bcrypt hash is empty, so none
    /// matches it.
    pub const NO_PASSWORD: &str = "";

    pub fn has_password(&self) -> bool {
        self.password_hash != Self::NO_PASSWORD
    }

    /// The hash a password is checked against; `None` without a password, so the check does the
    /// same bcrypt work as for an unknown email and fails.
    pub fn stored_password(&self) -> Option<String> {
        self.has_password().then(|| self.password_hash.clone())
    }

    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::User)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Role::Admin
    }

    /// The user as they act in `organization`, whose balance the DTO shows, with their `role`
    /// there (`None` for an API key).
    pub fn to_dto(&self, organization: &OrganizationRow, role: Option<OrgRole>) -> User {
        User {
            id: self.id,
            email: self.email.clone(),
            email_verified: self.email_verified_at.is_some(),
            has_password: self.has_password(),
            role: self.role(),
            credits: organization.credits,
            is_active: self.is_active,
            created_at: to_utc(self.created_at),
            organization: organization.to_active(role),
        }
    }

    pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Self>> {
        users::table.find(id).get_result(conn).optional()
    }

    /// The user and their personal organisation.
    pub fn find_with_personal(
        conn: &mut AnyConnection,
        id: i64,
    ) -> QueryResult<Option<(Self, OrganizationRow)>> {
        // The newest user at or below `id`, if it is that one.
        Ok(
            Self::list_with_personal(conn, 1, Some(id.saturating_add(1)))?
                .pop()
                .filter(|(user, _)| user.id == id),
        )
    }

    /// `email` must already be normalised (`shared::validate::Email`).
    pub fn find_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<Self>> {
        users::table
            .filter(users::email.eq(email))
            .get_result(conn)
            .optional()
    }

    /// Creates a user and their personal organisation (0 credits), of which they are the
    /// owner; a taken email is `EmailTaken`, decided by the unique index
    /// (no check-then-insert race). On PostgreSQL the failed insert aborts the transaction: write
    /// nothing more in it after `EmailTaken`.
    pub fn create(
        conn: &mut AnyConnection,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> QueryResult<CreateUser> {
        let at = now();
        let inserted: QueryResult<Self> = diesel::insert_into(users::table)
            .values(NewUser {
                email,
                password_hash,
                role: role.as_str(),
                is_active: true,
                token_version: 0,
                created_at: at,
                updated_at: at,
            })
            .returning(users::all_columns)
            .get_result(conn);
        match inserted {
            Ok(user) => {
                OrganizationRow::create_personal(conn, user.id)?;
                Ok(CreateUser::Created(user))
            }
            Err(e) if is_unique_violation(&e) => Ok(CreateUser::EmailTaken),
            Err(e) => Err(e),
        }
    }

    /// Newest first, each with their personal organisation; `before` is the id of the last user
    /// already seen (keyset pagination).
    pub fn list_with_personal(
        conn: &mut AnyConnection,
        limit: i64,
        before: Option<i64>,
    ) -> QueryResult<Vec<(Self, OrganizationRow)>> {
        users::table
            .inner_join(
                organizations::table.on(organizations::personal_user_id.eq(users::id.nullable())),
            )
            .select((users::all_columns, organizations::all_columns))
            .filter(users::id.lt(before.unwrap_or(i64::MAX)))
            .order(users::id.desc())
            .limit(limit)
            .load(conn)
    }

    /// Holds the user's row until the transaction ends, so that checks made on the user's rows
    /// (how many keys, how many emails lately) stay true until it commits. PostgreSQL locks the
    /// row; SQLite's writers already run one at a time.
    pub fn lock(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
        if let AnyConnection::Postgresql(pg) = conn {
            users::table
                .find(id)
                .select(users::id)
                .for_update()
                .execute(pg)?;
        }
        Ok(())
    }

    /// Records that the user proved their address (a link sent to it was followed); the first
    /// proof counts.
    pub fn mark_email_verified(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
        let at = now();
        diesel::update(
            users::table
                .find(id)
                .filter(users::email_verified_at.is_null()),
        )
        .set((users::email_verified_at.eq(at), users::updated_at.eq(at)))
        .execute(conn)
        .map(drop)
    }

    /// Moves the account to `email`, proven by the link just followed. Check first that no other
    /// account has it (`find_by_email`): a unique violation would abort a PostgreSQL transaction.
    pub fn change_email(conn: &mut AnyConnection, id: i64, email: &str) -> QueryResult<()> {
        let at = now();
        diesel::update(users::table.find(id))
            .set((
                users::email.eq(email),
                users::email_verified_at.eq(at),
                users::updated_at.eq(at),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Stores a new password hash and invalidates every outstanding access token.
    pub fn set_password_hash(conn: &mut AnyConnection, id: i64, hash: &str) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(hash),
                users::token_version.eq(users::token_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
            .map(drop)
    }

    /// Replaces a hash with one of the same password at the current cost. Tokens stay valid (the
    /// password did not change), and a password changed meanwhile is not overwritten.
    pub fn upgrade_password_hash(
        conn: &mut AnyConnection,
        id: i64,
        old_hash: &str,
        new_hash: &str,
    ) -> QueryResult<()> {
        diesel::update(
            users::table
                .find(id)
                .filter(users::password_hash.eq(old_hash)),
        )
        .set(users::password_hash.eq(new_hash))
        .execute(conn)
        .map(drop)
    }

    /// Invalidates every outstanding access token of the user at once.
    pub fn revoke_access_tokens(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::token_version.eq(users::token_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
            .map(drop)
    }

    /// An admin's change to an account: enabling or disabling it (disabling ends its sessions and
    /// access tokens at once) and its role. `None` when there is no such user.
    pub fn update_by_admin(
        conn: &mut AnyConnection,
        id: i64,
        is_active: Option<bool>,
        role: Option<Role>,
    ) -> QueryResult<Option<(Self, OrganizationRow)>> {
        if Self::find(conn, id)?.is_none() {
            return Ok(None);
        }
        if let Some(active) = is_active {
            diesel::update(users::table.find(id))
                .set((users::is_active.eq(active), users::updated_at.eq(now())))
                .execute(conn)?;
            if !active {
                super::SessionRow::revoke_all_for_user(conn, id, None)?;
                Self::revoke_access_tokens(conn, id)?;
            }
        }
        if let Some(role) = role {
            Self::set_role(conn, id, role)?;
        }
        Self::find_with_personal(conn, id)
    }

    pub fn set_role(conn: &mut AnyConnection, id: i64, role: Role) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((users::role.eq(role.as_str()), users::updated_at.eq(now())))
            .execute(conn)
            .map(drop)
    }
}
