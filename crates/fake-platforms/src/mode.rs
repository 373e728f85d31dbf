//! Misbehaviour on demand (INTEGRATIONS.md §5): a test queues modes, each for a number of
//! requests, and the fake answers the next requests accordingly before it behaves again.

use std::collections::VecDeque;
use std::time::Duration;

/// How the fake answers a request instead of (or before) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Waits this long, then answers normally: slower than a client's timeout.
    Slow(Duration),
    /// This 5xx status (500, 503, 504…) with an HTML page as the body.
    ServerError(u16),
    /// 429, with `Retry-After: <seconds>` when given. Everflow adds `X-RateLimit-Limit`
    /// and `X-RateLimit-Remaining: 0`.
    RateLimited {
        /// The `Retry-After` value in seconds, or no header.
        retry_after: Option<u64>,
    },
    /// 200 with the normal JSON answer cut off halfway.
    TruncatedJson,
    /// 200 with an HTML page labelled as JSON.
    Garbage,
    /// The platform's own error: TUNE an HTTP 200 error envelope with this text (also
    /// how a TUNE rate limit may look), Everflow a 400 `{"error": text}`.
    PlatformError(String),
}

/// The queued modes: each with how many more requests it answers.
#[derive(Debug, Default)]
pub(crate) struct Script {
    queued: VecDeque<(Mode, usize)>,
}

impl Script {
    /// Answers the next `times` requests (after those already queued) with `mode`.
    pub(crate) fn queue(&mut self, mode: Mode, times: usize) {
        if times > 0 {
            self.queued.push_back((mode, times));
        }
    }

    /// The mode for the request that just arrived, if any.
    pub(crate) fn next_mode(&mut self) -> Option<Mode> {
        let (mode, remaining) = self.queued.front_mut()?;
        let mode = mode.clone();
        *remaining -= 1;
        if *remaining == 0 {
            self.queued.pop_front();
        }
        Some(mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_answer_their_count_in_order() {
        let mut script = Script::default();
        script.queue(Mode::ServerError(500), 2);
        script.queue(Mode::Garbage, 0);
        script.queue(Mode::TruncatedJson, 1);
        let answered: Vec<Option<Mode>> = (0..5).map(|_| script.next_mode()).collect();
        assert_eq!(
            answered,
            [
                Some(Mode::ServerError(500)),
                Some(Mode::ServerError(500)),
                Some(Mode::TruncatedJson),
                None,
                None,
            ],
            "a count of zero queues nothing; then the fake behaves"
        );
    }
}
