//! The store's one error type. It says what happened in storage terms; the API decides
//! what status that is.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use thiserror::Error;
use trackly_domain::InputError;

/// What can go wrong in a store call.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The row asked for does not exist (or belongs to another account).
    #[error("not found")]
    NotFound,
    /// The database refused a value the domain could not check alone (for example the
    /// metadata limit after a merge).
    #[error("rejected: {0}")]
    Rejected(InputError),
    /// A uniqueness or concurrency conflict that the caller should report.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached: no pooled connection in time, or it went away.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else; logged, never shown to clients.
    #[error("database error: {0}")]
    Other(String),
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => Self::Unavailable(info.message().to_owned()),
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if is_connection_failure(info.message()) =>
            {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<diesel::ConnectionError> for StoreError {
    fn from(error: diesel::ConnectionError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

/// libpq reports a dropped server connection with these messages and no error class.
fn is_connection_failure(message: &str) -> bool {
    [
        "server closed the connection",
        "terminating connection",
        "no connection to the server",
        "connection to server",
        "could not receive data",
        "could not send data",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}
