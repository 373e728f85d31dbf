//! The tracking crate's one error type: why a link could not be followed, or why the
//! click spool could not be opened.

use std::path::PathBuf;

use thiserror::Error;

/// What can go wrong while following a link or opening the spool.
#[derive(Debug, Error)]
pub enum TrackingError {
    /// No offer or link has this code.
    #[error("unknown tracking link")]
    UnknownLink,
    /// The offer exists but is paused or archived.
    #[error("the offer is no longer available")]
    Gone,
    /// The link is not cached and the database cannot be asked right now.
    #[error("tracking links cannot be looked up right now: {0}")]
    Unavailable(String),
    /// Another live process holds the data directory.
    #[error(
        "the data directory {} is in use by another trackly process{}; \
         each node needs a data directory of its own (TRACKLY_DATA_DIR)",
        dir.display(),
        holder.as_ref().map(|pid| format!(" (pid {pid})")).unwrap_or_default()
    )]
    DataDirInUse {
        /// The directory.
        dir: PathBuf,
        /// The process id written by the holder, when readable.
        holder: Option<String>,
    },
    /// The data directory or a spool file cannot be created, read or written.
    #[error("the click spool in {} cannot be used: {source}", dir.display())]
    Spool {
        /// The directory.
        dir: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}
