//! The one error type of every platform call. Each message is one sentence and never
//! contains the API key: platform text and transport errors pass through
//! [`crate::http::redact`] before they land here.

/// Why a platform call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    /// The platform refused the connection's credentials: any HTTP 401/403, or TUNE's
    /// error envelope in [`check_key`](crate::TuneClient::check_key). Carries the
    /// platform's own message.
    #[error("the platform rejected the API key: {0}")]
    RejectedKey(String),
    /// The platform answered with an error that is not about the key: a TUNE error
    /// envelope, or an HTTP 4xx other than 401, 403 and 429. Carries the platform's message.
    #[error("the platform refused the request: {0}")]
    Refused(String),
    /// No usable answer: connection refused, DNS failure, a timeout, or a server error
    /// (5xx) on every attempt.
    #[error("the platform is unreachable: {0}")]
    Unreachable(String),
    /// Still rate-limited after every allowed attempt, or asked to wait longer than
    /// [`ClientOptions::max_retry_after`](crate::ClientOptions::max_retry_after).
    #[error("the platform is rate-limiting requests: {0}")]
    RateLimited(String),
    /// The answer could not be read: not JSON, cut off, or not of the documented shape.
    #[error("the platform sent an unreadable answer: {0}")]
    BadResponse(String),
    /// The connection settings cannot work (no endpoint, an unusable URL or id, a
    /// missing affiliate id) or the HTTP client could not be built.
    #[error("the connection settings cannot be used: {0}")]
    Setup(String),
}
