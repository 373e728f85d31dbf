//! What a lag-tolerant read asks before it goes to the replica: until when the replica is
//! known to be within its lag bound, and, past that, why it is not. The monitor writes it;
//! a read that finds the replica gone withdraws it at once.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::time::Instant;

/// The read replica's state, as `/readyz` shows it. Only the primary decides readiness:
/// a replica that is away or behind sends reads to the primary, it never makes the
/// service unready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaState {
    /// Within its lag bound: reads that tolerate lag go to it.
    InUse,
    /// Further behind the primary than its lag bound (or not measured yet, or lately):
    /// reads go to the primary until it catches up.
    Lagging,
    /// It cannot be reached: reads go to the primary.
    Unreachable,
    /// It answers but is not a standby (a primary, or a replica since promoted), so its
    /// data may have parted from the primary's: reads go to the primary.
    NotAStandby,
}

impl ReplicaState {
    /// Every state.
    pub const ALL: [Self; 4] = [
        Self::InUse,
        Self::Lagging,
        Self::Unreachable,
        Self::NotAStandby,
    ];

    /// The state's name in `/readyz` and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InUse => "in_use",
            Self::Lagging => "lagging",
            Self::Unreachable => "unreachable",
            Self::NotAStandby => "not_a_standby",
        }
    }

    fn from_code(code: u8) -> Self {
        match code {
            1 => Self::Lagging,
            2 => Self::Unreachable,
            3 => Self::NotAStandby,
            _ => Self::InUse,
        }
    }

    fn code(self) -> u8 {
        match self {
            Self::InUse => 0,
            Self::Lagging => 1,
            Self::Unreachable => 2,
            Self::NotAStandby => 3,
        }
    }
}

/// Until when the replica may serve reads, and why not once it may not. Lock-free: every
/// lag-tolerant read asks it.
pub(crate) struct Freshness {
    origin: Instant,
    /// Microseconds after `origin` until which the replica may serve reads.
    fresh_until: AtomicU64,
    /// The state to report when it may not (a `ReplicaState` code).
    otherwise: AtomicU8,
}

impl Freshness {
    /// Not fresh: the replica was not measured yet.
    pub(crate) fn new() -> Self {
        Self {
            origin: Instant::now(),
            fresh_until: AtomicU64::new(0),
            otherwise: AtomicU8::new(ReplicaState::Lagging.code()),
        }
    }

    /// True while the replica may serve reads.
    pub(crate) fn is_fresh(&self) -> bool {
        self.micros(Instant::now()) < self.fresh_until.load(Ordering::Acquire)
    }

    /// The replica's state now.
    pub(crate) fn state(&self) -> ReplicaState {
        if self.is_fresh() {
            ReplicaState::InUse
        } else {
            ReplicaState::from_code(self.otherwise.load(Ordering::Acquire))
        }
    }

    /// The replica may serve reads until `until`, and is lagging after that unless it is
    /// measured again.
    pub(crate) fn fresh_until(&self, until: Instant) {
        self.otherwise
            .store(ReplicaState::Lagging.code(), Ordering::Release);
        self.fresh_until
            .store(self.micros(until), Ordering::Release);
    }

    /// The replica may not serve reads, because of `state`, until it is measured again.
    pub(crate) fn withdraw(&self, state: ReplicaState) {
        self.fresh_until.store(0, Ordering::Release);
        self.otherwise.store(state.code(), Ordering::Release);
    }

    fn micros(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.origin).as_micros()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_replica_is_fresh_only_until_the_time_it_was_measured_for() {
        let freshness = Freshness::new();
        assert_eq!(freshness.state(), ReplicaState::Lagging, "not measured yet");
        freshness.fresh_until(Instant::now() + Duration::from_secs(60));
        assert_eq!(freshness.state(), ReplicaState::InUse);
        freshness.fresh_until(Instant::now());
        assert_eq!(freshness.state(), ReplicaState::Lagging, "its time ran out");
        freshness.fresh_until(Instant::now() + Duration::from_secs(60));
        freshness.withdraw(ReplicaState::Unreachable);
        assert_eq!(
            freshness.state(),
            ReplicaState::Unreachable,
            "a read lost it"
        );
    }
}
