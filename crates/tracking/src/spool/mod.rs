//! The click spool (SPEC §12): segment files under the data directory that every click
//! is appended to before its redirect is answered. An append is one `write` into the
//! operating system's page cache, so a crash of the process loses nothing; the syncer
//! makes the data durable on disk at a fixed interval. The writer reads the segments in
//! order, stores their clicks and deletes each segment once all of it is committed.

mod lock;
pub(crate) mod reader;
pub(crate) mod record;
mod segments;
mod watermark;

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::TrackingError;
use lock::DataDirLock;

/// The subdirectory of the data directory that holds the segments.
const SPOOL_DIR: &str = "spool";

/// Where a record starts or ends: a segment and a byte offset in it. Positions order
/// the way the writer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Position {
    /// The segment's number.
    pub segment: u64,
    /// Bytes from the segment's start.
    pub offset: u64,
}

/// Why a click could not be appended.
#[derive(Debug)]
pub(crate) enum AppendError {
    /// The spool holds `TRACKLY_SPOOL_MAX_BYTES` already.
    Full,
    /// The spool is closed: the service is stopping.
    Closed,
    /// The disk refused the write (full, read-only, failing).
    Io(io::Error),
}

/// The segment being appended to.
struct Active {
    id: u64,
    file: Arc<File>,
    /// Bytes of whole records in it.
    len: u64,
    /// Written since the last sync.
    dirty: bool,
    /// A failed write could not be cut off: the next append opens a new segment.
    broken: bool,
    /// No more appends: the service is stopping.
    closed: bool,
}

/// The spool of one data directory, shared by the sinks, the writer and the syncer.
pub(crate) struct Spool {
    dir: PathBuf,
    active: Mutex<Active>,
    /// Bytes of all segment files.
    bytes_on_disk: AtomicU64,
    max_bytes: u64,
    segment_bytes: u64,
    /// Segments numbered below this were left by an earlier process.
    first_of_run: u64,
    /// The earlier process's segments, oldest first, to replay.
    left_over: Vec<u64>,
    /// How far the earlier process had committed, as it recorded.
    committed_before: Option<Position>,
    /// Segments filled since the last sync, still to be synced once.
    sealed_unsynced: Mutex<Vec<Arc<File>>>,
    /// Held until the spool is released, even while sinks still point at it.
    lock: Mutex<Option<DataDirLock>>,
}

impl Spool {
    /// Opens the spool in `data_dir` (created if missing) and takes its lock. Segments
    /// left by an earlier process are kept for replay; appends go to a new segment.
    pub(crate) fn open(
        data_dir: &Path,
        max_bytes: u64,
        segment_bytes: u64,
    ) -> Result<Self, TrackingError> {
        let spool_error = |source| TrackingError::Spool {
            dir: data_dir.to_owned(),
            source,
        };
        fs::create_dir_all(data_dir).map_err(spool_error)?;
        let lock = DataDirLock::acquire(data_dir)?;
        let dir = data_dir.join(SPOOL_DIR);
        fs::create_dir_all(&dir).map_err(spool_error)?;
        let existing = segments::existing(&dir).map_err(spool_error)?;
        let first_of_run = existing.last().map_or(1, |(id, _)| id + 1);
        let committed_before = watermark::read(&dir);
        if existing.is_empty() {
            // Nothing before this run's first segment: true, and it tells a replay after
            // a crash that only the batch in flight can have been committed.
            watermark::write(
                &dir,
                Position {
                    segment: first_of_run,
                    offset: 0,
                },
            )
            .map_err(spool_error)?;
        }
        let file = segments::create(&dir, first_of_run).map_err(spool_error)?;
        Ok(Self {
            dir,
            active: Mutex::new(Active {
                id: first_of_run,
                file: Arc::new(file),
                len: 0,
                dirty: false,
                broken: false,
                closed: false,
            }),
            bytes_on_disk: AtomicU64::new(existing.iter().map(|(_, size)| size).sum()),
            max_bytes,
            // Only whole segments are deleted: several must fit under the limit, or the
            // one being appended to could fill the spool and never be freed.
            segment_bytes: segment_bytes.min(max_bytes / 4).max(1),
            first_of_run,
            left_over: existing.into_iter().map(|(id, _)| id).collect(),
            committed_before,
            sealed_unsynced: Mutex::new(Vec::new()),
            lock: Mutex::new(Some(lock)),
        })
    }

    /// Appends one whole record. On a failed write the segment is cut back to its last
    /// whole record, so a partial write never sits between two good ones.
    pub(crate) fn append(&self, frame: &[u8]) -> Result<(), AppendError> {
        let bytes = frame.len() as u64;
        let mut active = self.lock_active();
        if active.closed {
            return Err(AppendError::Closed);
        }
        if self.bytes_on_disk.load(Ordering::Relaxed) + bytes > self.max_bytes {
            return Err(AppendError::Full);
        }
        if active.broken || (active.len > 0 && active.len + bytes > self.segment_bytes) {
            self.rotate(&mut active).map_err(AppendError::Io)?;
        }
        match (&*active.file).write_all(frame) {
            Ok(()) => {
                active.len += bytes;
                active.dirty = true;
                self.bytes_on_disk.fetch_add(bytes, Ordering::Relaxed);
                Ok(())
            }
            Err(error) => {
                if active.file.set_len(active.len).is_err() {
                    active.broken = true;
                }
                Err(AppendError::Io(error))
            }
        }
    }

    /// Starts the next segment; the full one is synced once more by the syncer.
    fn rotate(&self, active: &mut Active) -> io::Result<()> {
        let file = Arc::new(segments::create(&self.dir, active.id + 1)?);
        let full = std::mem::replace(&mut active.file, file);
        if active.dirty {
            self.sealed_unsynced
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .push(full);
        }
        active.id += 1;
        active.len = 0;
        active.dirty = false;
        active.broken = false;
        Ok(())
    }

    /// The end of the last whole record appended.
    pub(crate) fn end(&self) -> Position {
        let active = self.lock_active();
        Position {
            segment: active.id,
            offset: active.len,
        }
    }

    /// Flushes what was appended since the last call to disk (`fdatasync`), outside the
    /// append lock so appends never wait for the disk.
    pub(crate) fn sync(&self) -> io::Result<()> {
        let sealed = std::mem::take(
            &mut *self
                .sealed_unsynced
                .lock()
                .unwrap_or_else(|poison| poison.into_inner()),
        );
        let active = {
            let mut active = self.lock_active();
            std::mem::take(&mut active.dirty).then(|| active.file.clone())
        };
        for file in sealed.iter().chain(active.iter()) {
            file.sync_data()?;
        }
        Ok(())
    }

    /// Refuses further appends (the service is stopping) and returns the final end.
    pub(crate) fn close(&self) -> Position {
        let mut active = self.lock_active();
        active.closed = true;
        Position {
            segment: active.id,
            offset: active.len,
        }
    }

    /// Closes the spool for good and lets another process take the data directory.
    pub(crate) fn release(&self) {
        self.close();
        self.lock
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .take();
    }

    /// Deletes every segment numbered below `segment`: all their clicks are committed.
    pub(crate) fn remove_before(&self, segment: u64, from: u64) -> io::Result<()> {
        for id in from..segment {
            let path = segments::path(&self.dir, id);
            let size = match fs::metadata(&path) {
                Ok(metadata) => metadata.len(),
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            };
            segments::remove(&self.dir, id)?;
            self.bytes_on_disk.fetch_sub(size, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Deletes the segment being appended to, once the spool is closed and all of it
    /// is committed, so a clean stop leaves nothing to replay.
    pub(crate) fn remove_last(&self) -> io::Result<()> {
        let active = self.lock_active();
        if active.closed {
            segments::remove(&self.dir, active.id)?;
            self.bytes_on_disk.fetch_sub(active.len, Ordering::Relaxed);
            watermark::remove(&self.dir)?;
        }
        Ok(())
    }

    /// Records that everything before `position` is committed, for the next start.
    pub(crate) fn record_committed(&self, position: Position) -> io::Result<()> {
        watermark::write(&self.dir, position)
    }

    /// How far the earlier process had committed, as it recorded.
    pub(crate) fn committed_before(&self) -> Option<Position> {
        self.committed_before
    }

    /// Bytes of all segment files.
    pub(crate) fn bytes_on_disk(&self) -> u64 {
        self.bytes_on_disk.load(Ordering::Relaxed)
    }

    /// The segment directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The number of this process's first segment.
    pub(crate) fn first_of_run(&self) -> u64 {
        self.first_of_run
    }

    /// The earlier process's segments, oldest first.
    pub(crate) fn left_over(&self) -> &[u64] {
        &self.left_over
    }

    fn lock_active(&self) -> MutexGuard<'_, Active> {
        self.active
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}
