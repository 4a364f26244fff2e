//! Writing emails into the outbox, inside the caller's transaction.

use std::time::Duration;

use diesel::{QueryResult, result::Error as DieselError};

use super::{Letterhead, Message};
use crate::{
    db::AnyConnection,
    models::{EmailToken, OutboxRow, Purpose, UserRow, user::CreateUser},
};

/// Renders `message` for `to` and writes it to the outbox. A template that fails to render
/// fails the write like a value that cannot be stored, so the transaction writes nothing.
pub fn queue(
    conn: &mut AnyConnection,
    letterhead: &Letterhead,
    to: &str,
    message: Message,
) -> QueryResult<()> {
    let email = letterhead
        .compose(to, message)
        .map_err(|e| DieselError::SerializationError(Box::new(e)))?;
    OutboxRow::enqueue(conn, &email)
}

/// Issues a token of `purpose` for the user (superseding their older ones) and queues the email
/// carrying its link to `to`: the account's address, or the new one of an email change.
pub fn queue_link(
    conn: &mut AnyConnection,
    letterhead: &Letterhead,
    user_id: i64,
    to: &str,
    purpose: Purpose,
) -> QueryResult<()> {
    let new_email = (purpose == Purpose::ChangeEmail).then_some(to);
    let secret = EmailToken::issue(conn, user_id, purpose, new_email)?;
    let (token, valid_for) = (secret.as_str(), purpose.lifetime());
    let message = match purpose {
        Purpose::VerifyEmail => Message::VerifyEmail { token, valid_for },
        Purpose::ResetPassword => Message::ResetPassword { token, valid_for },
        Purpose::ChangeEmail => Message::ConfirmEmailChange {
            token,
            new_email: to,
            valid_for,
        },
    };
    queue(conn, letterhead, to, message)
}

/// [`queue_link`], unless the user was sent one of `purpose` too recently (one a minute, five a
/// day): then nothing is written and the answer is how long to wait. The user's row is locked
/// first, so two requests at once cannot both pass.
pub fn queue_link_if_due(
    conn: &mut AnyConnection,
    letterhead: &Letterhead,
    user_id: i64,
    to: &str,
    purpose: Purpose,
) -> QueryResult<Option<Duration>> {
    UserRow::lock(conn, user_id)?;
    if let Some(wait) = EmailToken::wait_before_next(conn, user_id, purpose)? {
        return Ok(Some(wait));
    }
    queue_link(conn, letterhead, user_id, to, purpose)?;
    Ok(None)
}

/// Creates an account (with its personal organisation) and queues the link that verifies its
/// address, in the caller's transaction: a sign-up and `create-admin` alike.
pub fn create_account(
    conn: &mut AnyConnection,
    letterhead: &Letterhead,
    email: &str,
    password_hash: &str,
    role: shared::dto::Role,
) -> QueryResult<CreateUser> {
    let created = UserRow::create(conn, email, password_hash, role)?;
    if let CreateUser::Created(user) = &created {
        queue_link(conn, letterhead, user.id, &user.email, Purpose::VerifyEmail)?;
    }
    Ok(created)
}
