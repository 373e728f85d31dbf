//! The data directory's lock: one live process per directory. An exclusive `flock` on
//! `LOCK`, which the kernel releases when the process ends however it ends, so a crashed
//! node never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::error::TrackingError;

/// The lock file's name inside the data directory.
const LOCK_FILE: &str = "LOCK";

/// Holds the data directory for as long as it lives.
#[derive(Debug)]
pub(crate) struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock of `dir` (which must exist), or says which process holds it.
    pub(crate) fn acquire(dir: &Path) -> Result<Self, TrackingError> {
        let spool_error = |source| TrackingError::Spool {
            dir: dir.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))
            .map_err(spool_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(TrackingError::DataDirInUse {
                    dir: dir.to_owned(),
                    holder: (!holder.is_empty()).then(|| holder.to_owned()),
                });
            }
            Err(TryLockError::Error(error)) => return Err(spool_error(error)),
        }
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}", std::process::id()))
            .map_err(spool_error)?;
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid_until_it_lets_go() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let first = DataDirLock::acquire(dir.path()).expect("the first lock");
        match DataDirLock::acquire(dir.path()) {
            Err(TrackingError::DataDirInUse { holder, .. }) => {
                assert_eq!(holder, Some(std::process::id().to_string()));
            }
            other => panic!("a second lock must be refused, got {other:?}"),
        }
        drop(first);
        DataDirLock::acquire(dir.path()).expect("free again once released");
    }
}
