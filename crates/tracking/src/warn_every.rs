//! A warning that a continuing condition (an outage, a full spool) logs at most once per
//! interval instead of once per click.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often a continuing condition is logged again.
pub(crate) const WARN_INTERVAL: Duration = Duration::from_secs(10);

/// Remembers when it last warned.
#[derive(Default)]
pub(crate) struct WarnEvery {
    last: Mutex<Option<Instant>>,
}

impl WarnEvery {
    /// Not warned yet.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Logs `message()` as a warning unless it did within the last `WARN_INTERVAL`.
    pub(crate) fn warn(&self, message: impl FnOnce() -> String) {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if last.is_none_or(|at| at.elapsed() >= WARN_INTERVAL) {
            *last = Some(Instant::now());
            log::warn!("{}", message());
        }
    }
}
