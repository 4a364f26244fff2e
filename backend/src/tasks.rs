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
    models::{LedgerRow, UserRow, ledger::Granted, user::CreateUser},
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
    #[error("{0} signed up while the admin was being created: run the task again")]
    EmailTakenMeanwhile(String),
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

/// Makes `email` an admin: promotes an existing user (their password is kept), or creates one
/// with `password`. Returns the user's id.
pub fn create_admin(config: &Config, email: &str, password: &str) -> Result<i64, TaskError> {
    let email = Email::parse(email)?.into_inner();
    let db = open(config)?;
    let existing = db.write_blocking(|conn| UserRow::find_by_email(conn, &email))?;
    if let Some(user) = existing {
        db.write_blocking(|conn| UserRow::set_role(conn, user.id, Role::Admin))?;
        return Ok(user.id);
    }
    let password = Password::parse(password, "password")?;
    let hash = bcrypt::hash(password.expose(), config.bcrypt_cost)?;
    match db.write_blocking(|conn| UserRow::create(conn, &email, &hash, Role::Admin))? {
        CreateUser::Created(user) => Ok(user.id),
        CreateUser::EmailTaken => Err(TaskError::EmailTakenMeanwhile(email)),
    }
}

/// Adds `amount` credits (negative takes back) to `email`'s balance, with a ledger row.
/// Returns the new balance.
pub fn grant_credits(
    config: &Config,
    email: &str,
    amount: i64,
    reason: &str,
) -> Result<i64, TaskError> {
    let (amount, note) = (GrantAmount::parse(amount)?, GrantNote::parse(reason)?);
    let email = Email::parse(email)?.into_inner();
    let db = open(config)?;
    let granted = db.write_blocking(|conn| {
        let Some(user) = UserRow::find_by_email(conn, &email)? else {
            return Ok(Granted::NoSuchUser);
        };
        LedgerRow::grant(conn, user.id, amount, note)
    })?;
    match granted {
        Granted::Applied { balance } => Ok(balance),
        Granted::NoSuchUser => Err(TaskError::NoSuchUser(email)),
        Granted::WouldGoNegative => Err(TaskError::WouldGoNegative),
    }
}
