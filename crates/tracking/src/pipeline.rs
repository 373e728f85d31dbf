//! The click pipeline as a whole: the spool of a data directory, the writer thread that
//! stores its clicks, and the syncer thread that makes appends durable on disk. `start`
//! opens it, `shutdown` drains it within a grace period.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use trackly_app::App;

use crate::error::TrackingError;
use crate::progress::Progress;
use crate::sink::ClickSink;
use crate::spool::Spool;
use crate::stats::{ClickStats, Counter};
use crate::warn_every::WarnEvery;
use crate::writer::{StopSignal, Writer};

/// The default segment size: a segment is closed and a new one started past it.
pub const SEGMENT_BYTES: u64 = 16 * 1024 * 1024;

/// Settings of the click spool (SPEC §12).
#[derive(Debug, Clone)]
pub struct SpoolConfig {
    /// The node's own directory (`TRACKLY_DATA_DIR`); the spool lives in `spool/`.
    pub data_dir: PathBuf,
    /// The most bytes of segments kept (`TRACKLY_SPOOL_MAX_BYTES`); past it new clicks
    /// are dropped.
    pub max_bytes: u64,
    /// How often appends are flushed to disk (`TRACKLY_SPOOL_FSYNC_MS`): what a crash of
    /// the machine can lose.
    pub fsync_interval: Duration,
    /// Segment size (normally `SEGMENT_BYTES`): a segment is deleted once all of it is
    /// stored, so smaller segments free disk sooner and cost more files.
    pub segment_bytes: u64,
}

/// The running pipeline; keep it to flush and to stop it.
pub struct ClickPipeline {
    spool: Arc<Spool>,
    stats: Arc<ClickStats>,
    progress: Arc<Progress>,
    stop: Arc<StopSignal>,
    writer: Vec<JoinHandle<()>>,
    syncer: Option<Syncer>,
}

impl ClickPipeline {
    /// Opens the spool in the configured data directory (refused when another live
    /// process holds it), and starts the writer, storing through `app`, and the syncer.
    /// Segments left by an earlier process are replayed first.
    pub fn start(app: App, config: &SpoolConfig) -> Result<(Self, ClickSink), TrackingError> {
        let spool = Arc::new(Spool::open(
            &config.data_dir,
            config.max_bytes,
            config.segment_bytes,
        )?);
        let thread_error = |source| TrackingError::Spool {
            dir: config.data_dir.clone(),
            source,
        };
        let stats = Arc::new(ClickStats::default());
        let progress = Arc::new(Writer::progress_for(&spool));
        let stop = Arc::new(StopSignal::default());
        let writer = Writer {
            app,
            spool: spool.clone(),
            stats: stats.clone(),
            progress: progress.clone(),
            stop: stop.clone(),
        }
        .spawn()
        .map_err(thread_error)?;
        let syncer = Syncer::spawn(spool.clone(), config.fsync_interval).map_err(thread_error)?;
        let sink = ClickSink::new(spool.clone(), stats.clone());
        let pipeline = Self {
            spool,
            stats,
            progress,
            stop,
            writer,
            syncer: Some(syncer),
        };
        Ok((pipeline, sink))
    }

    /// Waits until every click spooled so far is stored (at most `timeout`); true when
    /// it got there.
    pub fn flush(&self, timeout: Duration) -> bool {
        self.progress.wait_for(self.spool.end(), timeout)
    }

    /// The pipeline's counters.
    pub fn stats(&self) -> &ClickStats {
        &self.stats
    }

    /// Bytes the spool holds on disk.
    pub fn spool_bytes(&self) -> u64 {
        self.spool.bytes_on_disk()
    }

    /// Stops taking clicks, stores what the spool holds for at most `grace`, syncs and
    /// stops. What could not be stored by then stays in the spool for the next start.
    pub fn shutdown(mut self, grace: Duration) {
        let end = self.spool.close();
        self.stop.request(Instant::now() + grace);
        for thread in self.writer.drain(..) {
            let _ = thread.join();
        }
        if let Some(syncer) = self.syncer.take() {
            syncer.stop();
        }
        let drained = self.progress.wait_for(end, Duration::ZERO);
        if drained {
            if let Err(error) = self.spool.remove_last() {
                log::warn!("click spool: the last segment cannot be deleted: {error}");
            }
        }
        let stats = &self.stats;
        log::info!(
            "click writer stopped: {} stored, {} dropped (spool full or disk error), {} lost \
             (refused by the database), {} already stored (replayed); {} bytes left in the \
             spool for the next start",
            stats.get(Counter::Stored),
            stats.get(Counter::Dropped),
            stats.get(Counter::Lost),
            stats.get(Counter::AlreadyStored),
            self.spool.bytes_on_disk()
        );
        self.spool.release();
    }
}

/// The thread that syncs the spool to disk every interval.
struct Syncer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: JoinHandle<()>,
}

impl Syncer {
    fn spawn(spool: Arc<Spool>, interval: Duration) -> std::io::Result<Self> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stop.clone();
        let thread = std::thread::Builder::new()
            .name("click-spool-sync".to_owned())
            .spawn(move || {
                let warning = WarnEvery::new();
                let (stopped, wake) = &*signal;
                loop {
                    let done = {
                        let guard = stopped.lock().unwrap_or_else(|poison| poison.into_inner());
                        let (guard, _) = wake
                            .wait_timeout_while(guard, interval, |stopped| !*stopped)
                            .unwrap_or_else(|poison| poison.into_inner());
                        *guard
                    };
                    if let Err(error) = spool.sync() {
                        warning.warn(|| format!("click spool: cannot sync to disk: {error}"));
                    }
                    if done {
                        return;
                    }
                }
            })?;
        Ok(Self { stop, thread })
    }

    /// Syncs once more and ends the thread.
    fn stop(self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().unwrap_or_else(|poison| poison.into_inner()) = true;
        wake.notify_all();
        let _ = self.thread.join();
    }
}

impl Drop for ClickPipeline {
    /// A pipeline dropped without `shutdown` (a test ending early) stops its threads;
    /// what it holds stays in the spool.
    fn drop(&mut self) {
        if !self.writer.is_empty() || self.syncer.is_some() {
            self.spool.close();
            self.stop.request(Instant::now());
            for thread in self.writer.drain(..) {
                let _ = thread.join();
            }
            if let Some(syncer) = self.syncer.take() {
                syncer.stop();
            }
            self.spool.release();
        }
    }
}
