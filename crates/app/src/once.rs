//! Idempotent requests (SPEC §1.7): a POST with an `Idempotency-Key` runs once, and its
//! first answer is replayed for 24 hours. The edge says how to answer (a pure function of
//! the use case's result); the use case runs it inside the transaction that does the work
//! and records the answer, so work and record commit together.

use trackly_domain::api_key::is_valid_idempotency_key;
use trackly_domain::InputError;

/// An answer as a client receives it and a replay repeats it: a status and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status (a number the edge understands; 201 for created, say).
    pub status: u16,
    /// The body, exactly as sent.
    pub body: String,
}

/// An answer, and whether it repeats the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The answer.
    pub answer: Answer,
    /// True when the work ran before and this is its recorded answer.
    pub replayed: bool,
}

/// A request that must run at most once: its idempotency key and a digest of the request
/// (the same key with another request is a conflict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Once {
    key: String,
    request_digest: [u8; 32],
}

impl Once {
    /// Checks the key (1–255 visible ASCII characters).
    pub fn new(key: &str, request_digest: [u8; 32]) -> Result<Self, InputError> {
        if is_valid_idempotency_key(key) {
            Ok(Self {
                key: key.to_owned(),
                request_digest,
            })
        } else {
            Err(InputError::InvalidIdempotencyKey)
        }
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The request's digest.
    pub fn request_digest(&self) -> &[u8; 32] {
        &self.request_digest
    }
}
