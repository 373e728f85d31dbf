//! The primary's log positions over the last moments, which turn a replica's replayed
//! position into a time: the replica shows every transaction committed before it.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// When the primary had written how far, newest last, for at most `keep` back.
pub(crate) struct WalSamples {
    samples: VecDeque<(Instant, u64)>,
    keep: Duration,
}

impl WalSamples {
    /// No samples yet; those older than `keep` behind the newest are forgotten (a
    /// replica only caught up to them is too far behind anyway).
    pub(crate) fn new(keep: Duration) -> Self {
        Self {
            samples: VecDeque::new(),
            keep,
        }
    }

    /// Records that at `at` the primary had written its log up to `position`.
    pub(crate) fn record(&mut self, at: Instant, position: u64) {
        match self.samples.back_mut() {
            // Nothing written since: the same position, known at a later moment.
            Some(last) if last.1 == position => last.0 = at,
            // A log that went back is another primary's (restored or replaced): the
            // earlier positions say nothing about it.
            Some(last) if last.1 > position => {
                self.samples.clear();
                self.samples.push_back((at, position));
            }
            _ => self.samples.push_back((at, position)),
        }
        while self
            .samples
            .front()
            .is_some_and(|(sampled, _)| at.saturating_duration_since(*sampled) > self.keep)
        {
            self.samples.pop_front();
        }
    }

    /// The latest moment by which a replica that replayed up to `replayed` shows every
    /// committed transaction: the newest sample it has passed. `None` when it passed
    /// none of those kept.
    pub(crate) fn caught_up_to(&self, replayed: u64) -> Option<Instant> {
        self.samples
            .iter()
            .rev()
            .find(|(_, position)| *position <= replayed)
            .map(|(at, _)| *at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEP: Duration = Duration::from_secs(1);

    fn ms(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    #[test]
    fn a_replica_is_caught_up_to_the_newest_sample_it_has_replayed() {
        let start = Instant::now();
        let mut samples = WalSamples::new(KEEP);
        samples.record(ms(start, 0), 100);
        samples.record(ms(start, 250), 200);
        samples.record(ms(start, 500), 300);
        let cases = [
            ("replayed everything", 300, Some(ms(start, 500))),
            ("replayed past the newest sample", 350, Some(ms(start, 500))),
            ("between two samples", 250, Some(ms(start, 250))),
            ("exactly at an older sample", 100, Some(ms(start, 0))),
            ("behind every sample", 99, None),
        ];
        for (description, replayed, expected) in cases {
            assert_eq!(samples.caught_up_to(replayed), expected, "{description}");
        }
    }

    #[test]
    fn an_idle_primary_keeps_one_sample_moving_forward() {
        let start = Instant::now();
        let mut samples = WalSamples::new(KEEP);
        samples.record(ms(start, 0), 100);
        samples.record(ms(start, 5_000), 100);
        assert_eq!(samples.caught_up_to(100), Some(ms(start, 5_000)));
        assert_eq!(samples.samples.len(), 1);
    }

    #[test]
    fn samples_older_than_the_bound_are_forgotten() {
        let start = Instant::now();
        let mut samples = WalSamples::new(KEEP);
        samples.record(ms(start, 0), 100);
        samples.record(ms(start, 900), 200);
        samples.record(ms(start, 1_100), 300);
        assert_eq!(
            samples.caught_up_to(150),
            None,
            "the sample of 0 ms is gone"
        );
        assert_eq!(samples.caught_up_to(200), Some(ms(start, 900)));
    }

    #[test]
    fn a_log_that_went_back_starts_the_samples_again() {
        let start = Instant::now();
        let mut samples = WalSamples::new(KEEP);
        samples.record(ms(start, 0), 500);
        samples.record(ms(start, 250), 100);
        assert_eq!(samples.caught_up_to(100), Some(ms(start, 250)));
        assert_eq!(samples.caught_up_to(600), Some(ms(start, 250)));
    }
}
