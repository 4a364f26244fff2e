//! `DbError`: why a database call failed, in the database layer's own terms. Routes and
//! extractors turn it into the HTTP contract (`ApiError`); nothing here knows about HTTP.

use std::sync::Arc;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// The cause of a failure, shared so one failed batch can answer each of its lookups.
pub type Cause = Arc<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone, thiserror::Error)]
pub enum DbError {
    /// Unreachable, cut off, locked or saturated: the client may retry later.
    #[error("the database is unavailable")]
    Unavailable(#[source] Cause),
    /// A statement failed for a reason retrying will not fix (a bug, a broken constraint).
    #[error("a database statement failed")]
    Query(#[source] Cause),
    #[error("cannot apply the database migrations")]
    Migration(#[source] Cause),
    /// A thread of the database layer stopped or dropped its work (a bug, or shutting down).
    #[error("the {0} stopped before answering")]
    WorkerStopped(&'static str),
}

impl DbError {
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

impl From<DieselError> for DbError {
    /// A connection that is closed, cut off or locked is the database going away, not a bug.
    fn from(e: DieselError) -> Self {
        let unavailable = match &e {
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => true,
            DieselError::DatabaseError(_, info) => {
                let message = info.message();
                message.contains("database is locked") || message.contains("terminating connection")
            }
            _ => false,
        };
        if unavailable {
            Self::Unavailable(Arc::new(e))
        } else {
            Self::Query(Arc::new(e))
        }
    }
}

/// No connection within `DB_TIMEOUT_MS`: the database is down or saturated.
impl From<r2d2::Error> for DbError {
    fn from(e: r2d2::Error) -> Self {
        Self::Unavailable(Arc::new(e))
    }
}

/// Whether a failed insert/update hit a unique index.
pub fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
