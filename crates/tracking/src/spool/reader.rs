//! Reads the spool in order for the writer: first the segments an earlier process left,
//! then this process's, up to the last whole record appended. A torn record at the end
//! of a finished segment (a crash in the middle of a write) is skipped and logged; it was
//! never acknowledged, since its redirect had not been answered.

use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use trackly_domain::click::Click;

use super::record::{decode, frame, Frame};
use super::{segments, Position, Spool};

/// How much is read from a segment at a time.
const READ_CHUNK: usize = 1 << 20;

/// What one `read` call added.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ReadOutcome {
    /// Some clicks came from an earlier process's segments past what it recorded as
    /// committed: they may be stored already.
    pub may_be_stored: bool,
    /// Records of an earlier process that it had recorded as committed: skipped.
    pub committed_before: u64,
    /// Torn or damaged records skipped.
    pub skipped: u64,
    /// Whole records whose click could not be decoded.
    pub unreadable: u64,
}

/// The segment being read.
struct OpenSegment {
    id: u64,
    file: File,
    /// Bytes read from the file so far.
    read_to: u64,
    /// Bytes read but not yet taken as records.
    pending: Vec<u8>,
    /// A damaged record was found: nothing after it can be trusted.
    damaged: bool,
}

impl OpenSegment {
    /// The position after the last record taken.
    fn position(&self) -> Position {
        Position {
            segment: self.id,
            offset: self.read_to - self.pending.len() as u64,
        }
    }
}

/// What is known of an earlier process's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replayed {
    /// A record of this process: not stored yet.
    Fresh,
    /// Before the earlier process's commit watermark: stored.
    Committed,
    /// Just past it: the earlier process may have been committing it when it stopped.
    MayBeStored,
}

/// Tells an earlier process's records apart by its commit watermark. Past the watermark
/// only the first `window` records can have been committed (the writer commits in order,
/// at most `window` records at a time); without a watermark every record may have been.
struct ReplayState {
    first_of_run: u64,
    committed_before: Option<Position>,
    window_left: usize,
}

impl ReplayState {
    fn classify(&mut self, end: Position) -> Replayed {
        if end.segment >= self.first_of_run {
            return Replayed::Fresh;
        }
        match self.committed_before {
            Some(committed) if end <= committed => Replayed::Committed,
            Some(_) if self.window_left == 0 => Replayed::Fresh,
            Some(_) => {
                self.window_left -= 1;
                Replayed::MayBeStored
            }
            None => Replayed::MayBeStored,
        }
    }
}

/// The writer's cursor over the spool.
pub(crate) struct SpoolReader {
    spool: Arc<Spool>,
    replay: ReplayState,
    left_over: VecDeque<u64>,
    next_of_run: u64,
    current: Option<OpenSegment>,
    /// Where the next record starts, once the current segment is done.
    position: Position,
}

impl SpoolReader {
    /// A cursor at the spool's oldest segment; of an earlier process's records, up to
    /// `window` past its commit watermark are treated as possibly stored.
    pub(crate) fn new(spool: Arc<Spool>, window: usize) -> Self {
        let left_over: VecDeque<u64> = spool.left_over().iter().copied().collect();
        let next_of_run = spool.first_of_run();
        let first = left_over.front().copied().unwrap_or(next_of_run);
        Self {
            replay: ReplayState {
                first_of_run: next_of_run,
                committed_before: spool.committed_before(),
                window_left: window,
            },
            spool,
            left_over,
            next_of_run,
            current: None,
            position: Position {
                segment: first,
                offset: 0,
            },
        }
    }

    /// The position after the last record taken.
    pub(crate) fn position(&self) -> Position {
        self.current
            .as_ref()
            .map_or(self.position, OpenSegment::position)
    }

    /// Adds up to `max` clicks to `batch`, stopping early when it reaches the end of
    /// what was appended.
    pub(crate) fn read(&mut self, max: usize, batch: &mut Vec<Click>) -> io::Result<ReadOutcome> {
        let mut outcome = ReadOutcome::default();
        let end = self.spool.end();
        while batch.len() < max {
            let Some(segment) = self.current.as_mut() else {
                if self.open_next(end)?.is_none() {
                    break;
                }
                continue;
            };
            take_records(
                segment,
                max - batch.len(),
                batch,
                &mut self.replay,
                &mut outcome,
            );
            if batch.len() >= max {
                break;
            }
            let sealed = segment.id < end.segment;
            let limit = if sealed { u64::MAX } else { end.offset };
            let read = if segment.damaged {
                0
            } else {
                fill(segment, limit)?
            };
            if read == 0 {
                if !sealed {
                    break;
                }
                self.finish_segment(&mut outcome);
            }
        }
        Ok(outcome)
    }

    /// The segment to read: the current one, or the next one that exists. `None` once
    /// the reader is past `end`.
    fn open_next(&mut self, end: Position) -> io::Result<Option<&mut OpenSegment>> {
        while self.current.is_none() {
            let id = match self.left_over.pop_front() {
                Some(id) => id,
                None if self.next_of_run <= end.segment => {
                    self.next_of_run += 1;
                    self.next_of_run - 1
                }
                None => return Ok(None),
            };
            self.position = Position {
                segment: id,
                offset: 0,
            };
            match File::open(segments::path(self.spool.dir(), id)) {
                Ok(file) => {
                    self.current = Some(OpenSegment {
                        id,
                        file,
                        read_to: 0,
                        pending: Vec::new(),
                        damaged: false,
                    })
                }
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            }
        }
        Ok(self.current.as_mut())
    }

    /// Leaves a segment read to its end; bytes left that make no whole record are a torn
    /// last record.
    fn finish_segment(&mut self, outcome: &mut ReadOutcome) {
        if let Some(segment) = self.current.take() {
            if !segment.pending.is_empty() && !segment.damaged {
                log::warn!(
                    "click spool: skipped a torn record at the end of segment {} ({} bytes; \
                     a crash interrupted its write, before its redirect was answered)",
                    segment.id,
                    segment.pending.len()
                );
                outcome.skipped += 1;
            }
            self.position = Position {
                segment: segment.id + 1,
                offset: 0,
            };
        }
    }
}

/// Reads more of `segment`, up to byte `limit`; returns how many bytes came.
fn fill(segment: &mut OpenSegment, limit: u64) -> io::Result<usize> {
    let want = usize::try_from(limit.saturating_sub(segment.read_to))
        .unwrap_or(usize::MAX)
        .min(READ_CHUNK);
    if want == 0 {
        return Ok(0);
    }
    let start = segment.pending.len();
    segment.pending.resize(start + want, 0);
    let read = segment
        .file
        .read_at(&mut segment.pending[start..], segment.read_to);
    let read = match read {
        Ok(read) => read,
        Err(error) => {
            segment.pending.truncate(start);
            return Err(error);
        }
    };
    segment.pending.truncate(start + read);
    segment.read_to += read as u64;
    Ok(read)
}

/// Takes up to `max` whole records from the segment's pending bytes, leaving out those
/// an earlier process committed. A damaged record makes the rest of the segment
/// unreadable: it is skipped and logged.
fn take_records(
    segment: &mut OpenSegment,
    max: usize,
    batch: &mut Vec<Click>,
    replay: &mut ReplayState,
    outcome: &mut ReadOutcome,
) {
    let mut used = 0;
    let mut taken = 0;
    while taken < max {
        match frame(&segment.pending[used..]) {
            Frame::Whole {
                payload,
                frame_bytes,
            } => {
                let unread = (segment.pending.len() - used - frame_bytes) as u64;
                let end = Position {
                    segment: segment.id,
                    offset: segment.read_to - unread,
                };
                match (replay.classify(end), decode(payload)) {
                    (Replayed::Committed, _) => outcome.committed_before += 1,
                    (replayed, Ok(click)) => {
                        outcome.may_be_stored |= replayed == Replayed::MayBeStored;
                        batch.push(click);
                        taken += 1;
                    }
                    (_, Err(problem)) => {
                        log::error!(
                            "click spool: a record in segment {} cannot be read ({}); skipped",
                            segment.id,
                            problem.0
                        );
                        outcome.unreadable += 1;
                    }
                }
                used += frame_bytes;
            }
            Frame::Incomplete => break,
            Frame::Damaged => {
                let rest = segment.pending.len() - used;
                log::error!(
                    "click spool: segment {} is damaged at byte {}; its last {rest} byte(s) \
                     are skipped",
                    segment.id,
                    segment.read_to - rest as u64
                );
                outcome.skipped += 1;
                segment.damaged = true;
                segment.pending.clear();
                return;
            }
        }
    }
    segment.pending.drain(..used);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(segment: u64, offset: u64) -> Position {
        Position { segment, offset }
    }

    #[test]
    fn records_are_told_apart_by_the_watermark_and_the_window_after_it() {
        let mut state = ReplayState {
            first_of_run: 5,
            committed_before: Some(at(2, 100)),
            window_left: 2,
        };
        let cases = [
            (at(1, 900), Replayed::Committed, "an earlier segment"),
            (at(2, 100), Replayed::Committed, "ending at the watermark"),
            (at(2, 150), Replayed::MayBeStored, "the first past it"),
            (at(3, 10), Replayed::MayBeStored, "the second past it"),
            (
                at(3, 60),
                Replayed::Fresh,
                "past the window: never attempted",
            ),
            (at(5, 10), Replayed::Fresh, "this process's own"),
        ];
        for (end, expected, description) in cases {
            assert_eq!(state.classify(end), expected, "{description}");
        }
        let mut unknown = ReplayState {
            first_of_run: 5,
            committed_before: None,
            window_left: 2,
        };
        for offset in [10, 20, 30] {
            assert_eq!(
                unknown.classify(at(4, offset)),
                Replayed::MayBeStored,
                "without a watermark every earlier record may be stored"
            );
        }
    }
}
