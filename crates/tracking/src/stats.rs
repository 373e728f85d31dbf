//! Counters of the click pipeline, for logs, tests and shutdown.

use std::sync::atomic::{AtomicU64, Ordering};

/// One of the pipeline's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Clicks appended to the spool (their redirect was then answered).
    Spooled,
    /// Clicks not spooled: the spool was full or the disk refused the write.
    Dropped,
    /// Clicks stored in the database by this process, replayed ones included.
    Stored,
    /// Replayed clicks that an earlier attempt had stored already (skipped).
    AlreadyStored,
    /// Clicks that reached the writer but that the database refused (or whose record
    /// could not be read back); logged one by one.
    Lost,
    /// Torn or damaged records skipped while reading the spool.
    Skipped,
}

/// The pipeline's counters; read them with `get`.
#[derive(Debug, Default)]
pub struct ClickStats {
    counters: [AtomicU64; 6],
}

impl ClickStats {
    /// The current value of `counter`.
    pub fn get(&self, counter: Counter) -> u64 {
        self.counters[counter as usize].load(Ordering::SeqCst)
    }

    pub(crate) fn add(&self, counter: Counter, amount: u64) {
        if amount > 0 {
            self.counters[counter as usize].fetch_add(amount, Ordering::SeqCst);
        }
    }
}
