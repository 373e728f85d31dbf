//! Dashboard sessions (SPEC §11): a browser signs in with an API key and gets a session,
//! kept on the server, that ends 12 hours after its last use, at sign-out, or when its
//! key is revoked.

use chrono::Duration;

use crate::ObjectId;

/// How long a session lives without being used.
pub const SESSION_IDLE: Duration = Duration::hours(12);

/// A live session: whose it is and the token its forms must carry.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The signed-in account.
    pub account_id: ObjectId,
    /// The anti-forgery token every form of the session carries.
    pub csrf_token: String,
}

impl std::fmt::Debug for Session {
    /// Leaves the token out of logs.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Session")
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// A session just opened, with the only copy of its cookie value.
#[derive(Clone, PartialEq, Eq)]
pub struct OpenedSession {
    /// The cookie value (the server keeps only its digest).
    pub token: String,
    /// The session.
    pub session: Session,
}

impl std::fmt::Debug for OpenedSession {
    /// Leaves the token out of logs.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("OpenedSession")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}
