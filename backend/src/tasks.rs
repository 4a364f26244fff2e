//! Operator tasks behind the CLI subcommands (`migrate`, `create-admin`, `grant-credits`).
//! Synchronous: they run before or beside a server, each with its own small pool.

use shared::{
    dto::Role,
    validate::{Email, Password},
};

use crate::{
    config::Config,
    db::Db,
    error::ApiError,
    models::{LedgerRow, UserRow, ledger::Posted},
};

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] r2d2::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("no user with email {0}")]
    NoSuchUser(String),
    #[error("{0}")]
    Api(#[from] ApiError),
}

fn open(config: &Config) -> Result<Db, TaskError> {
    let db = Db::connect(config)?;
    db.migrate()?;
    Ok(db)
}

pub fn migrate(config: &Config) -> Result<(), TaskError> {
    open(config).map(drop)
}

/// Makes `email` an admin: promotes an existing user (their password is kept), or creates one
/// with `password`. Returns the user's id.
pub fn create_admin(config: &Config, email: &str, password: &str) -> Result<i64, TaskError> {
    let email = Email::parse(email)
        .map_err(|e| TaskError::Invalid(e.to_string()))?
        .into_inner();
    let db = open(config)?;
    let existing = db.write_blocking(|conn| Ok(UserRow::find_by_email(conn, &email)?))?;
    if let Some(user) = existing {
        db.write_blocking(|conn| Ok(UserRow::set_role(conn, user.id, Role::Admin)?))?;
        return Ok(user.id);
    }
    let password =
        Password::parse(password, "password").map_err(|e| TaskError::Invalid(e.to_string()))?;
    let hash = bcrypt::hash(password.expose(), config.bcrypt_cost).map_err(ApiError::internal)?;
    Ok(db
        .write_blocking(|conn| UserRow::create(conn, &email, &hash, Role::Admin))?
        .id)
}

/// Adds `amount` credits (negative takes back) to `email`'s balance, with a ledger row.
/// Returns the new balance.
pub fn grant_credits(
    config: &Config,
    email: &str,
    amount: i64,
    reason: &str,
) -> Result<i64, TaskError> {
    if amount == 0 {
        return Err(TaskError::Invalid("amount must not be zero".to_owned()));
    }
    let email = Email::parse(email)
        .map_err(|e| TaskError::Invalid(e.to_string()))?
        .into_inner();
    let db = open(config)?;
    let reason = format!("admin: {reason}");
    let posted = db.write_blocking(|conn| {
        let user =
            UserRow::find_by_email(conn, &email)?.ok_or_else(|| ApiError::NotFound("user"))?;
        LedgerRow::post(conn, user.id, amount, &reason, None)
    });
    match posted {
        Ok(Posted::Applied { balance, .. }) => Ok(balance),
        Ok(_) => Err(TaskError::Invalid(
            "that would make the balance negative".to_owned(),
        )),
        Err(ApiError::NotFound(_)) => Err(TaskError::NoSuchUser(email)),
        Err(e) => Err(e.into()),
    }
}
