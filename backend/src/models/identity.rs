//! Provider accounts linked to ours (`user_identities`): who a provider's `subject` is here, and
//! the rules that decide a sign-in or a link through a provider.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::{dto::Role, validate::Email};

use super::{UserRow, now, user::CreateUser};
use crate::db::{AnyConnection, schema::user_identities};

/// Who the provider says signed in: its stable id for them and the address it vouches for (or
/// not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderAccount {
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
}

#[derive(Debug, Clone, Queryable)]
pub struct IdentityRow {
    pub id: i64,
    pub user_id: i64,
    pub provider: String,
    pub subject: String,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = user_identities)]
struct NewIdentity<'a> {
    user_id: i64,
    provider: &'a str,
    subject: &'a str,
    email: &'a str,
    created_at: NaiveDateTime,
    last_used_at: NaiveDateTime,
}

/// What a sign-in through a provider came to.
#[derive(Debug)]
pub enum SignIn {
    /// A known identity, an account linked on its verified address, or a new account.
    Account(UserRow),
    /// The provider does not vouch for the address: no account is found or made by it.
    EmailUnverified,
    /// An account has the address, unverified: it is not linked on an unproven address.
    AccountUnverified,
    AccountDisabled,
}

/// What linking a provider to a signed-in account came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Link {
    Linked,
    /// The provider account is another account's way to sign in.
    TakenByAnother,
    /// The account is linked to another account at this provider already.
    ProviderAlreadyLinked,
}

/// What unlinking came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Unlink {
    Unlinked,
    NotLinked,
    /// It is the account's last way to sign in (no password, no other provider).
    LastMethod,
}

impl IdentityRow {
    pub fn find(
        conn: &mut AnyConnection,
        provider: &str,
        subject: &str,
    ) -> QueryResult<Option<Self>> {
        user_identities::table
            .filter(user_identities::provider.eq(provider))
            .filter(user_identities::subject.eq(subject))
            .get_result(conn)
            .optional()
    }

    /// The user's identities, oldest first.
    pub fn list(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<Self>> {
        user_identities::table
            .filter(user_identities::user_id.eq(user_id))
            .order(user_identities::id.asc())
            .load(conn)
    }

    /// Signs in the provider's `account`: the user it is linked to; else, when the provider
    /// vouches for the address, the account with that address (linked now, if its own address is
    /// verified) or a new one (verified, no password, with its personal organisation).
    pub fn sign_in(
        conn: &mut AnyConnection,
        provider: &str,
        account: &ProviderAccount,
    ) -> QueryResult<SignIn> {
        if let Some(identity) = Self::find(conn, provider, &account.subject)? {
            Self::touch(conn, identity.id, &account.email)?;
            return Ok(match UserRow::find(conn, identity.user_id)? {
                Some(user) if user.is_active => SignIn::Account(user),
                _ => SignIn::AccountDisabled,
            });
        }
        // An address the provider vouches for, in the form ours are kept in.
        let email = match Email::parse(&account.email) {
            Ok(email) if account.email_verified => email.into_inner(),
            _ => return Ok(SignIn::EmailUnverified),
        };
        let user = match UserRow::find_by_email(conn, &email)? {
            Some(user) if user.email_verified_at.is_none() => return Ok(SignIn::AccountUnverified),
            Some(user) if !user.is_active => return Ok(SignIn::AccountDisabled),
            Some(user) => user,
            None => match UserRow::create(conn, &email, UserRow::NO_PASSWORD, Role::User)? {
                CreateUser::Created(user) => {
                    UserRow::mark_email_verified(conn, user.id)?;
                    user
                }
                // Made between the lookup and the insert: PostgreSQL's transaction is aborted,
                // so the request fails and the user tries again.
                CreateUser::EmailTaken => return Err(diesel::result::Error::RollbackTransaction),
            },
        };
        Self::insert(conn, user.id, provider, account)?;
        Ok(SignIn::Account(user))
    }

    /// Links the provider's `account` to the signed-in `user_id` (whatever its address: the
    /// user proved both sides).
    pub fn link(
        conn: &mut AnyConnection,
        user_id: i64,
        provider: &str,
        account: &ProviderAccount,
    ) -> QueryResult<Link> {
        UserRow::lock(conn, user_id)?;
        if let Some(identity) = Self::find(conn, provider, &account.subject)? {
            if identity.user_id != user_id {
                return Ok(Link::TakenByAnother);
            }
            Self::touch(conn, identity.id, &account.email)?;
            return Ok(Link::Linked);
        }
        if Self::list(conn, user_id)?
            .iter()
            .any(|identity| identity.provider == provider)
        {
            return Ok(Link::ProviderAlreadyLinked);
        }
        Self::insert(conn, user_id, provider, account)?;
        Ok(Link::Linked)
    }

    /// Unlinks the user's identity at `provider`, unless it is their last way to sign in.
    pub fn unlink(conn: &mut AnyConnection, user_id: i64, provider: &str) -> QueryResult<Unlink> {
        UserRow::lock(conn, user_id)?;
        let identities = Self::list(conn, user_id)?;
        let Some(identity) = identities.iter().find(|i| i.provider == provider) else {
            return Ok(Unlink::NotLinked);
        };
        let has_password = UserRow::find(conn, user_id)?.is_some_and(|u| u.has_password());
        if identities.len() == 1 && !has_password {
            return Ok(Unlink::LastMethod);
        }
        diesel::delete(user_identities::table.find(identity.id)).execute(conn)?;
        Ok(Unlink::Unlinked)
    }

    fn insert(
        conn: &mut AnyConnection,
        user_id: i64,
        provider: &str,
        account: &ProviderAccount,
    ) -> QueryResult<()> {
        let at = now();
        diesel::insert_into(user_identities::table)
            .values(NewIdentity {
                user_id,
                provider,
                subject: &account.subject,
                email: &account.email,
                created_at: at,
                last_used_at: at,
            })
            .execute(conn)
            .map(drop)
    }

    fn touch(conn: &mut AnyConnection, id: i64, email: &str) -> QueryResult<()> {
        diesel::update(user_identities::table.find(id))
            .set((
                user_identities::email.eq(email),
                user_identities::last_used_at.eq(now()),
            ))
            .execute(conn)
            .map(drop)
    }
}
