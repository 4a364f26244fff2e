//! Operator tasks behind the CLI subcommands (`migrate`, `create-admin`, `grant-credits`).
//! Synchronous: they run before or beside a server, each with its own small pool.

use shared::{
    ValidationError,
    dto::Role,
    validate::{Email, GrantAmount, GrantNote, Password},
};

use crate::{
    config::Config,
    db::{Db, DbError},
    mail::{Letterhead, create_account},
    models::{LedgerRow, OrganizationRow, SessionRow, UserRow, ledger::Granted, user::CreateUser},
};

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot connect to the database")]
    Connect(#[source] r2d2::Error),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("no user with email {0}")]
    NoSuchUser(String),
    #[error("no organization with id {0}")]
    NoSuchOrganization(i64),
    #[error(
        "{0} already has an account, with the password its owner chose: if that is the person \
         you mean, run again with --promote-existing"
    )]
    AccountExists(String),
    #[error("that would make the balance negative")]
    WouldGoNegative,
    #[error("cannot hash the password")]
    Hash(#[from] bcrypt::BcryptError),
}

fn open(config: &Config) -> Result<Db, TaskError> {
    let db = Db::connect(config).map_err(TaskError::Connect)?;
    db.migrate()?;
    Ok(db)
}

pub fn migrate(config: &Config) -> Result<(), TaskError> {
    open(config).map(drop)
}

/// What `create_admin` does when the email already has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Refuse: whoever signed up first with the founder's email must not become admin.
    Refuse,
    /// Make that account an admin, keeping the password its owner chose.
    Promote,
}

/// An admin made by `create_admin`, with their id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admin {
    Created(i64),
    Promoted(i64),
}

/// Makes `email` an admin: a new account with `password` (whose verification link is queued for
/// the server to send), or, with `IfExists::Promote`, the existing one.
pub fn create_admin(
    config: &Config,
    email: &str,
    password: &str,
    if_exists: IfExists,
) -> Result<Admin, TaskError> {
    let email = Email::parse(email)?.into_inner();
    let db = open(config)?;
    let existing = db.write_blocking(|conn| UserRow::find_by_email(conn, &email))?;
    if let Some(user) = existing {
        if if_exists == IfExists::Refuse {
            return Err(TaskError::AccountExists(email));
        }
        db.write_blocking(|conn| UserRow::set_role(conn, user.id, Role::Admin))?;
        return Ok(Admin::Promoted(user.id));
    }
    let password = Password::parse(password, "password")?;
    let hash = bcrypt::hash(password.expose(), config.bcrypt_cost)?;
    let letterhead = Letterhead::new(&config.mail);
    // Like a sign-up, the address is proven by the link (the server sends it).
    let created =
        db.write_blocking(|conn| create_account(conn, &letterhead, &email, &hash, Role::Admin))?;
    match created {
        CreateUser::Created(user) => Ok(Admin::Created(user.id)),
        CreateUser::EmailTaken => Err(TaskError::AccountExists(email)),
    }
}

/// Whose balance `grant-credits` moves.
#[derive(Debug, Clone)]
pub enum Grantee {
    /// The personal organisation of the user with this email.
    PersonalOf(String),
    Organization(i64),
}

impl std::fmt::Display for Grantee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PersonalOf(email) => write!(f, "{email}'s personal organization"),
            Self::Organization(id) => write!(f, "organization {id}"),
        }
    }
}

/// Adds `amount` credits (negative takes back) to the grantee's balance, with a ledger row.
/// Returns the new balance.
pub fn grant_credits(
    config: &Config,
    grantee: &Grantee,
    amount: i64,
    reason: &str,
) -> Result<i64, TaskError> {
    let (amount, note) = (GrantAmount::parse(amount)?, GrantNote::parse(reason)?);
    let grantee = match grantee {
        Grantee::PersonalOf(email) => Grantee::PersonalOf(Email::parse(email)?.into_inner()),
        Grantee::Organization(id) => Grantee::Organization(*id),
    };
    let db = open(config)?;
    let granted = db.write_blocking(|conn| {
        let org_id = match &grantee {
            Grantee::Organization(id) => Some(*id),
            Grantee::PersonalOf(email) => match UserRow::find_by_email(conn, email)? {
                Some(user) => OrganizationRow::personal_of(conn, user.id)?.map(|org| org.id),
                None => None,
            },
        };
        match org_id {
            Some(org_id) => LedgerRow::grant(conn, org_id, None, amount, note),
            None => Ok(Granted::NoSuchOrganization),
        }
    })?;
    match (granted, grantee) {
        (Granted::Applied { balance }, _) => Ok(balance),
        (Granted::NoSuchOrganization, Grantee::PersonalOf(email)) => {
            Err(TaskError::NoSuchUser(email))
        }
        (Granted::NoSuchOrganization, Grantee::Organization(id)) => {
            Err(TaskError::NoSuchOrganization(id))
        }
        (Granted::WouldGoNegative, _) => Err(TaskError::WouldGoNegative),
    }
}

/// Deletes expired sessions (what the server also does every hour). Returns how many went.
pub fn purge_sessions(config: &Config) -> Result<usize, TaskError> {
    Ok(open(config)?.write_blocking(SessionRow::purge_expired)?)
}
