//! The app layer's one error type: what a use case can answer besides its result, in
//! the terms of the SPEC, never of HTTP or SQL. The edges map it to their own form.

use thiserror::Error;
use trackly_domain::link::LinkRefused;
use trackly_domain::revenue::Unattributed;
use trackly_domain::InputError;
use trackly_store::{IsUnavailable, StoreError};

/// Why a use case did not produce its result.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AppError {
    /// A rule of the SPEC was broken; nothing changed.
    #[error("{0}")]
    Invalid(InputError),
    /// The resource does not exist, or belongs to another account.
    #[error("not found")]
    NotFound,
    /// A revenue record names a click or offer that cannot take it.
    #[error("{}", .0.message())]
    Unattributed(Unattributed),
    /// A valid link request names no offer it may link to (SPEC §9.1, §9.2).
    #[error("{}", .0.message())]
    LinkRefused(LinkRefused),
    /// The account already has a connection to this platform (SPEC §10.1).
    #[error("This account already has a connection to that platform; change it with PUT or delete it first.")]
    IntegrationExists,
    /// The platform refused the key (SPEC §10.1); carries the platform's message.
    #[error("The platform rejected the API key: {0}")]
    PlatformRejectedKey(String),
    /// The platform could not be reached, or answered nothing usable (SPEC §10.1).
    #[error("The platform could not be reached: {0}")]
    PlatformUnreachable(String),
    /// A sync of this kind is running for the connection already (SPEC §10.4).
    #[error("A sync of this connection is running already; its run is in GET /api/v2/integrations/{{id}}/runs.")]
    SyncRunning,
    /// The server has no `TRACKLY_SECRET_KEY`, so it cannot store or use platform keys.
    #[error("This server has no TRACKLY_SECRET_KEY, so it cannot store platform API keys; its operator must set one.")]
    SecretKeyMissing,
    /// The idempotency key was used with a different request (SPEC §1.7).
    #[error("This Idempotency-Key was already used with a different request.")]
    IdempotencyConflict,
    /// A batch carries more records than allowed.
    #[error("A bulk request carries at most {max} records; split it.")]
    TooManyRecords {
        /// The most records allowed.
        max: usize,
    },
    /// The credential (postback secret) names no account.
    #[error("unknown credential")]
    Unauthenticated,
    /// The database cannot be reached right now; try again shortly.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else; logged, never shown to clients.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<InputError> for AppError {
    fn from(error: InputError) -> Self {
        Self::Invalid(error)
    }
}

impl From<Unattributed> for AppError {
    fn from(error: Unattributed) -> Self {
        Self::Unattributed(error)
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Rejected(input) => Self::Invalid(input),
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            StoreError::Conflict(cause) | StoreError::Other(cause) => Self::Internal(cause),
        }
    }
}

impl From<trackly_store::DieselError> for AppError {
    fn from(error: trackly_store::DieselError) -> Self {
        StoreError::from(error).into()
    }
}

impl IsUnavailable for AppError {
    fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}
