//! What the writer has committed. Batches are handed out in spool order and may commit
//! out of order on different connections; the committed position only moves over a
//! contiguous run of finished batches. Each move is recorded in the spool's watermark
//! and frees the segments left behind. At most `limit` batches are outstanding past the
//! committed position, which bounds what a replay has to check after a crash.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::spool::{Position, Spool};

/// A batch's place in spool order.
pub(crate) type Sequence = u64;

struct State {
    committed: Position,
    /// The next batch to hand out.
    next: Sequence,
    /// The first batch not committed yet.
    first_open: Sequence,
    /// Batches committed after `first_open`, with their end positions.
    finished: BTreeMap<Sequence, Position>,
    /// Segments below this number are deleted.
    removed_before: u64,
}

/// The committed position and the batches in flight.
pub(crate) struct Progress {
    spool: Arc<Spool>,
    state: Mutex<State>,
    changed: Condvar,
}

impl Progress {
    /// Nothing committed past `start` yet.
    pub(crate) fn new(spool: Arc<Spool>, start: Position) -> Self {
        Self {
            spool,
            state: Mutex::new(State {
                committed: start,
                next: 0,
                first_open: 0,
                finished: BTreeMap::new(),
                removed_before: start.segment,
            }),
            changed: Condvar::new(),
        }
    }

    /// Hands out the next batch's sequence number once fewer than `limit` batches are
    /// outstanding, or `None` if `give_up` turns true first (checked every 10 ms).
    pub(crate) fn begin(&self, limit: u64, give_up: impl Fn() -> bool) -> Option<Sequence> {
        let mut state = self.lock();
        while state.next - state.first_open >= limit {
            if give_up() {
                return None;
            }
            state = self
                .changed
                .wait_timeout(state, Duration::from_millis(10))
                .unwrap_or_else(|poison| poison.into_inner())
                .0;
        }
        state.next += 1;
        Some(state.next - 1)
    }

    /// The next batch's sequence number if fewer than `limit` batches are outstanding.
    pub(crate) fn try_begin(&self, limit: u64) -> Option<Sequence> {
        let mut state = self.lock();
        (state.next - state.first_open < limit).then(|| {
            state.next += 1;
            state.next - 1
        })
    }

    /// Records that batch `sequence`, ending at `end`, is committed.
    pub(crate) fn finish(&self, sequence: Sequence, end: Position) {
        let mut state = self.lock();
        state.finished.insert(sequence, end);
        let mut moved = false;
        loop {
            let first_open = state.first_open;
            let Some(end) = state.finished.remove(&first_open) else {
                break;
            };
            state.first_open += 1;
            state.committed = state.committed.max(end);
            moved = true;
        }
        if moved {
            self.record(&mut state);
            self.changed.notify_all();
        }
    }

    /// Writes the watermark and deletes the segments before the committed position.
    fn record(&self, state: &mut State) {
        if let Err(error) = self.spool.record_committed(state.committed) {
            log::warn!("click spool: the commit watermark cannot be written: {error}");
        }
        if state.committed.segment > state.removed_before {
            match self
                .spool
                .remove_before(state.committed.segment, state.removed_before)
            {
                Ok(()) => state.removed_before = state.committed.segment,
                Err(error) => {
                    log::warn!("click spool: a committed segment cannot be deleted: {error}")
                }
            }
        }
    }

    /// Waits until everything before `target` is committed, at most `timeout`.
    pub(crate) fn wait_for(&self, target: Position, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        let mut state = self.lock();
        while state.committed < target {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|poison| poison.into_inner())
                .0;
        }
        true
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: u64) -> Position {
        Position { segment: 1, offset }
    }

    #[test]
    fn the_committed_position_moves_only_over_contiguous_finished_batches() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let spool = Arc::new(Spool::open(dir.path(), 1 << 20, 1 << 16).expect("open"));
        let progress = Progress::new(spool, at(0));
        let first = progress.begin(2, || false).expect("a first batch");
        let second = progress.begin(2, || false).expect("a second batch");
        assert_eq!(
            progress.begin(2, || true),
            None,
            "a third waits while two are outstanding"
        );
        progress.finish(second, at(200));
        assert!(
            !progress.wait_for(at(200), Duration::ZERO),
            "the second is committed, but the first is not yet"
        );
        progress.finish(first, at(100));
        assert!(progress.wait_for(at(200), Duration::ZERO), "now both are");
        assert!(
            progress.begin(2, || true).is_some(),
            "and a third may start"
        );
    }
}
