//! The click writer (SPEC §5.2, §12). One thread reads the spool in order and cuts it
//! into batches: as soon as 1,000 clicks are waiting or the oldest has waited 100 ms, and
//! a connection is free; until one is, the batch keeps growing, up to 5,000. Two connections store the
//! batches (a `COPY` each), so PostgreSQL can use two cores. While the database is down
//! batches are retried with backoff and the spool grows on disk. Segments an earlier
//! process left are replayed first, skipping clicks it had already stored.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use trackly_app::App;
use trackly_domain::click::Click;

use crate::batch_store::{Attempt, BatchStore};
use crate::progress::{Progress, Sequence};
use crate::spool::reader::SpoolReader;
use crate::spool::{Position, Spool};
use crate::stats::{ClickStats, Counter};
use crate::warn_every::WarnEvery;

/// A batch is written once this many clicks wait…
pub const BATCH_CLICKS: usize = 1_000;
/// …or once the oldest has waited this long.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(100);
/// The most clicks in one batch, when more are waiting.
const MAX_BATCH: usize = 5_000;
/// Connections storing batches at once.
const CONNECTIONS: usize = 2;
/// Past the commit watermark an earlier process recorded, how many of its clicks it may
/// have been committing when it stopped: the batches it had outstanding.
const REPLAY_WINDOW: usize = MAX_BATCH * CONNECTIONS;
/// How often the writer looks for new clicks while it has none to write.
const POLL: Duration = Duration::from_millis(5);

/// When the writer should stop: as soon as it has caught up, or at the deadline.
#[derive(Default)]
pub(crate) struct StopSignal {
    requested: AtomicBool,
    deadline: Mutex<Option<Instant>>,
}

impl StopSignal {
    pub(crate) fn request(&self, deadline: Instant) {
        *self
            .deadline
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(deadline);
        self.requested.store(true, Ordering::SeqCst);
    }

    fn requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    pub(crate) fn past_deadline(&self) -> bool {
        self.deadline
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .is_some_and(|deadline| Instant::now() >= deadline)
    }
}

/// A batch handed to a connection.
struct Job {
    sequence: Sequence,
    clicks: Vec<Click>,
    may_be_stored: bool,
    /// The spool position after its last click.
    end: Position,
}

/// The writer: its spool, where it reports, and what it stores with.
pub(crate) struct Writer {
    pub(crate) app: App,
    pub(crate) spool: Arc<Spool>,
    pub(crate) stats: Arc<ClickStats>,
    pub(crate) progress: Arc<Progress>,
    pub(crate) stop: Arc<StopSignal>,
}

impl Writer {
    /// The initial committed position: the spool's oldest segment.
    pub(crate) fn progress_for(spool: &Arc<Spool>) -> Progress {
        let start = SpoolReader::new(spool.clone(), REPLAY_WINDOW).position();
        Progress::new(spool.clone(), start)
    }

    /// Starts the reading thread and the connections' threads.
    pub(crate) fn spawn(self) -> std::io::Result<Vec<JoinHandle<()>>> {
        let (jobs, queue) = sync_channel::<Job>(CONNECTIONS);
        let queue = Arc::new(Mutex::new(queue));
        let store = BatchStore::new(
            self.app.clone(),
            self.spool.clone(),
            self.stats.clone(),
            self.stop.clone(),
        );
        let mut threads = Vec::with_capacity(CONNECTIONS + 1);
        for index in 0..CONNECTIONS {
            let (queue, store, progress) = (queue.clone(), store.clone(), self.progress.clone());
            threads.push(
                std::thread::Builder::new()
                    .name(format!("click-store-{index}"))
                    .spawn(move || store_jobs(&queue, &store, &progress))?,
            );
        }
        threads.push(
            std::thread::Builder::new()
                .name("click-writer".to_owned())
                .spawn(move || self.read_and_dispatch(jobs))?,
        );
        Ok(threads)
    }

    /// Cuts the spool into batches and hands them out, until stopped and caught up (or
    /// past the deadline).
    fn read_and_dispatch(self, jobs: std::sync::mpsc::SyncSender<Job>) {
        let mut reader = SpoolReader::new(self.spool.clone(), REPLAY_WINDOW);
        if !self.spool.left_over().is_empty() {
            log::info!(
                "click spool: replaying {} segment(s) ({} bytes) left by an earlier run",
                self.spool.left_over().len(),
                self.spool.bytes_on_disk()
            );
        }
        let mut batch: Vec<Click> = Vec::with_capacity(MAX_BATCH);
        let mut may_be_stored = false;
        let mut oldest: Option<Instant> = None;
        let mut handed_out = reader.position();
        let read_warning = WarnEvery::new();
        let give_up = || self.stop.requested() && self.stop.past_deadline();
        loop {
            let stopping = self.stop.requested();
            if give_up() {
                break;
            }
            match reader.read(MAX_BATCH - batch.len(), &mut batch) {
                Ok(outcome) => {
                    may_be_stored |= outcome.may_be_stored;
                    self.stats
                        .add(Counter::AlreadyStored, outcome.committed_before);
                    self.stats.add(Counter::Skipped, outcome.skipped);
                    self.stats.add(Counter::Lost, outcome.unreadable);
                }
                Err(error) => read_warning
                    .warn(|| format!("click spool: a segment cannot be read, retrying: {error}")),
            }
            if batch.is_empty() {
                // Records skipped or segments finished: nothing to store, but the
                // position moves on once the batches before it are committed.
                if reader.position() > handed_out {
                    let Some(sequence) = self.progress.begin(CONNECTIONS as u64, give_up) else {
                        break;
                    };
                    handed_out = reader.position();
                    self.progress.finish(sequence, handed_out);
                }
                if stopping {
                    break;
                }
                std::thread::sleep(POLL);
                continue;
            }
            let first_seen = *oldest.get_or_insert_with(Instant::now);
            let ready =
                batch.len() >= BATCH_CLICKS || first_seen.elapsed() >= BATCH_INTERVAL || stopping;
            // While both connections are busy the batch keeps growing (up to MAX_BATCH):
            // under load, fewer and larger batches spread each batch's fixed cost.
            let sequence = if ready {
                self.progress.try_begin(CONNECTIONS as u64)
            } else {
                None
            };
            let Some(sequence) = sequence else {
                std::thread::sleep(POLL);
                continue;
            };
            handed_out = reader.position();
            let job = Job {
                sequence,
                clicks: std::mem::replace(&mut batch, Vec::with_capacity(MAX_BATCH)),
                may_be_stored: std::mem::take(&mut may_be_stored),
                end: handed_out,
            };
            if jobs.send(job).is_err() {
                break;
            }
            oldest = None;
        }
    }
}

/// A connection's thread: stores batches until the writer stops handing them out.
fn store_jobs(queue: &Mutex<Receiver<Job>>, store: &BatchStore, progress: &Progress) {
    loop {
        let job = queue
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .recv();
        let Ok(job) = job else {
            return;
        };
        match store.store(&job.clicks, job.may_be_stored) {
            Attempt::Stored => progress.finish(job.sequence, job.end),
            // Left for the next start; later batches may still commit, but the
            // committed position stays before this one.
            Attempt::LeftInSpool => {}
        }
    }
}
