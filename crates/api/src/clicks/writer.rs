//! The click writer (SPEC §5.2). Redirects hand clicks to a `ClickSink` and never wait.
//! A background thread writes them in multi-row batches: every 100 ms or every 1,000
//! clicks, whichever comes first. While the database is down it keeps the clicks, up to
//! the configured number, and retries with backoff. Past that it drops new clicks, counts
//! them and logs a warning. On shutdown it writes what it holds. Two threads share the
//! queue, so one gathers the next batch while the other inserts.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use moka::sync::Cache;
use trackly_domain::click::Click;
use trackly_store::clicks::{insert_clicks_with, VisitorKey};
use trackly_store::{PgPool, StoreError};

/// The most clicks in one insert.
pub const BATCH_SIZE: usize = 1_000;
/// The longest a click waits before its batch is written.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(100);
/// The first and the longest pause between retries of a failed batch.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(2));
/// How often a continuing outage or overflow is logged again.
const WARN_EVERY: Duration = Duration::from_secs(10);
/// Writer threads: while one inserts a batch, another gathers the next.
const WRITER_THREADS: usize = 2;
/// Visitors remembered as stored, so their rows are not inserted again (≈ 3 MB).
const KNOWN_VISITORS: u64 = 100_000;

/// Counters of the writer, for tests, logs and shutdown.
#[derive(Debug, Default)]
pub struct ClickWriterStats {
    accepted: AtomicU64,
    stored: AtomicU64,
    dropped: AtomicU64,
    lost: AtomicU64,
}

impl ClickWriterStats {
    /// Clicks handed to the writer.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::SeqCst)
    }
    /// Clicks written to the database.
    pub fn stored(&self) -> u64 {
        self.stored.load(Ordering::SeqCst)
    }
    /// Clicks refused because the buffer was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::SeqCst)
    }
    /// Accepted clicks that could not be written before shutdown ended.
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::SeqCst)
    }
}

/// State shared by the sinks and the writer thread.
struct Shared {
    stats: ClickWriterStats,
    /// Clicks accepted and not yet stored or lost.
    held: AtomicUsize,
    capacity: usize,
    last_overflow_warning: Mutex<Option<Instant>>,
}

/// Where redirects put clicks; cheap to clone.
#[derive(Clone)]
pub struct ClickSink {
    sender: Sender<Click>,
    shared: Arc<Shared>,
}

impl ClickSink {
    /// Queues a click for writing without waiting. A full buffer drops it, counts it and
    /// warns (at most every 10 seconds).
    pub fn record(&self, click: Click) {
        let shared = &self.shared;
        if shared.held.fetch_add(1, Ordering::SeqCst) >= shared.capacity {
            shared.held.fetch_sub(1, Ordering::SeqCst);
            self.count_dropped();
            return;
        }
        shared.stats.accepted.fetch_add(1, Ordering::SeqCst);
        if self.sender.send(click).is_err() {
            shared.stats.accepted.fetch_sub(1, Ordering::SeqCst);
            shared.held.fetch_sub(1, Ordering::SeqCst);
            self.count_dropped();
        }
    }

    /// The writer's counters.
    pub fn stats(&self) -> &ClickWriterStats {
        &self.shared.stats
    }

    fn count_dropped(&self) {
        let dropped = self.shared.stats.dropped.fetch_add(1, Ordering::SeqCst) + 1;
        let mut last = self
            .shared
            .last_overflow_warning
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if last.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
            *last = Some(Instant::now());
            log::warn!(
                "click buffer full ({} clicks held); {dropped} click(s) dropped so far",
                self.shared.capacity
            );
        }
    }
}

/// The background writer; keep it to flush and stop it.
pub struct ClickWriter {
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    deadline: Arc<Mutex<Option<Instant>>>,
    threads: Vec<JoinHandle<()>>,
}

impl ClickWriter {
    /// Starts the writer on `pool`, holding at most `capacity` unwritten clicks.
    pub fn start(pool: PgPool, capacity: usize) -> (Self, ClickSink) {
        let (sender, receiver) = channel();
        let shared = Arc::new(Shared {
            stats: ClickWriterStats::default(),
            held: AtomicUsize::new(0),
            capacity: capacity.max(1),
            last_overflow_warning: Mutex::new(None),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let deadline = Arc::new(Mutex::new(None));
        let receiver = Arc::new(Mutex::new(receiver));
        let known_visitors = Cache::builder().max_capacity(KNOWN_VISITORS).build();
        let threads: Vec<JoinHandle<()>> = (0..WRITER_THREADS)
            .filter_map(|index| {
                let worker = Worker {
                    pool: pool.clone(),
                    receiver: receiver.clone(),
                    shared: shared.clone(),
                    stop: stop.clone(),
                    deadline: deadline.clone(),
                    known_visitors: known_visitors.clone(),
                };
                std::thread::Builder::new()
                    .name(format!("click-writer-{index}"))
                    .spawn(move || worker.run())
                    .ok()
            })
            .collect();
        if threads.is_empty() {
            log::error!(
                "could not start the click writer threads; clicks will be held, not written"
            );
        }
        let writer = Self {
            shared: shared.clone(),
            stop,
            deadline,
            threads,
        };
        (writer, ClickSink { sender, shared })
    }

    /// Waits until every click accepted so far is stored (or lost), at most `timeout`.
    /// True when it got there.
    pub fn flush(&self, timeout: Duration) -> bool {
        let target = self.shared.stats.accepted();
        let until = Instant::now() + timeout;
        while self.shared.stats.stored() + self.shared.stats.lost() < target {
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    /// The writer's counters.
    pub fn stats(&self) -> &ClickWriterStats {
        &self.shared.stats
    }

    /// Writes what is held, trying for at most `timeout`, then stops the thread. Clicks
    /// that could not be written by then are counted as lost and logged.
    pub fn shutdown(mut self, timeout: Duration) {
        *self
            .deadline
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(Instant::now() + timeout);
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        let stats = &self.shared.stats;
        log::info!(
            "click writer stopped: {} stored, {} dropped (buffer full), {} lost (database unavailable at shutdown)",
            stats.stored(),
            stats.dropped(),
            stats.lost()
        );
    }
}

/// A writer thread's side.
struct Worker {
    pool: PgPool,
    receiver: Arc<Mutex<Receiver<Click>>>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    deadline: Arc<Mutex<Option<Instant>>>,
    known_visitors: Cache<VisitorKey, ()>,
}

impl Worker {
    fn run(self) {
        let mut batch = Vec::with_capacity(BATCH_SIZE);
        loop {
            let open = self.gather(&mut batch);
            if !batch.is_empty() {
                self.write(&mut batch);
            }
            let stopping = self.stop.load(Ordering::SeqCst) || !open;
            if stopping && self.is_drained() {
                break;
            }
        }
    }

    /// Fills `batch` until it is full or `BATCH_INTERVAL` has passed since the first
    /// click. False when every sink is gone. One thread gathers at a time.
    fn gather(&self, batch: &mut Vec<Click>) -> bool {
        let receiver = self
            .receiver
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let first = match receiver.recv_timeout(BATCH_INTERVAL) {
            Ok(click) => click,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        };
        batch.push(first);
        let until = Instant::now() + BATCH_INTERVAL;
        while batch.len() < BATCH_SIZE {
            let left = until.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(left) {
                Ok(click) => batch.push(click),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return false,
            }
        }
        true
    }

    /// True when every accepted click is stored or lost.
    fn is_drained(&self) -> bool {
        self.shared.held.load(Ordering::SeqCst) == 0
    }

    /// Writes `batch`, retrying with backoff while the database is unavailable, until it
    /// is stored or the shutdown deadline has passed (then it is counted as lost). Any
    /// other failure is a problem with some row, not with the database: the clicks are
    /// then written one by one, so one bad row never holds the others back.
    fn write(&self, batch: &mut Vec<Click>) {
        let mut pause = BACKOFF.0;
        let mut last_warning: Option<Instant> = None;
        loop {
            match self.insert(batch) {
                Ok(()) => {
                    self.settle(batch, |stats| &stats.stored);
                    if last_warning.is_some() {
                        log::info!("click writer recovered; the held clicks are stored");
                    }
                    return;
                }
                Err(error) if !matches!(error, StoreError::Unavailable(_)) => {
                    log::error!(
                        "a click batch was refused ({error}); writing its clicks one by one"
                    );
                    self.write_one_by_one(batch);
                    return;
                }
                Err(error) => {
                    if self.past_deadline() {
                        log::error!(
                            "{} click(s) could not be stored before shutdown: {error}",
                            batch.len()
                        );
                        self.settle(batch, |stats| &stats.lost);
                        return;
                    }
                    if last_warning.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
                        last_warning = Some(Instant::now());
                        log::warn!(
                            "cannot store clicks, retrying ({} held): {error}",
                            self.shared.held.load(Ordering::SeqCst)
                        );
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(BACKOFF.1);
                }
            }
        }
    }

    /// Writes each click alone: those the database refuses are logged and counted lost;
    /// an outage sends the rest back to `write`'s retries.
    fn write_one_by_one(&self, batch: &mut Vec<Click>) {
        while let Some(click) = batch.pop() {
            let mut single = vec![click];
            match self.insert(&single) {
                Ok(()) => self.settle(&mut single, |stats| &stats.stored),
                Err(StoreError::Unavailable(_)) => {
                    batch.append(&mut single);
                    self.write(batch);
                    return;
                }
                Err(error) => {
                    log::error!(
                        "click {} could not be stored and is lost: {error}",
                        single[0].id
                    );
                    self.settle(&mut single, |stats| &stats.lost);
                }
            }
        }
    }

    fn insert(&self, batch: &[Click]) -> Result<(), StoreError> {
        let mut conn = self.pool.get()?;
        let known = |key: &VisitorKey| self.known_visitors.contains_key(key);
        let inserted = conn.run(|conn| insert_clicks_with(conn, batch, &known))?;
        for key in inserted.new_visitors {
            self.known_visitors.insert(key, ());
        }
        Ok(())
    }

    fn settle(&self, batch: &mut Vec<Click>, counter: fn(&ClickWriterStats) -> &AtomicU64) {
        let count = batch.len();
        counter(&self.shared.stats).fetch_add(count as u64, Ordering::SeqCst);
        self.shared.held.fetch_sub(count, Ordering::SeqCst);
        batch.clear();
    }

    fn past_deadline(&self) -> bool {
        self.deadline
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .is_some_and(|deadline| Instant::now() >= deadline)
    }
}
