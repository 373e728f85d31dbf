//! After a failed database lookup, redirects leave the database alone for a second:
//! they answer from what is cached instead of queueing behind a dead pool.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long after a failed lookup the database is left alone.
const BACK_OFF_FOR: Duration = Duration::from_secs(1);

/// When the database last failed a lookup; cheap to clone (clones share it).
#[derive(Clone, Default)]
pub(crate) struct DatabaseBackoff {
    failed_at: Arc<Mutex<Option<Instant>>>,
}

impl DatabaseBackoff {
    /// Notes a failed lookup.
    pub(crate) fn failed(&self) {
        *self
            .failed_at
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(Instant::now());
    }

    /// True within a second of the last failure.
    pub(crate) fn backing_off(&self) -> bool {
        self.failed_at
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .is_some_and(|at| at.elapsed() < BACK_OFF_FOR)
    }
}
