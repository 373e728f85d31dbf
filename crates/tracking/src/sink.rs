//! Where a redirect puts its click: an append to the spool, done before the redirect is
//! answered. A full spool or a failing disk drops the click (counted, and logged at most
//! every 10 seconds); the redirect is answered either way.

use std::cell::RefCell;
use std::sync::Arc;

use trackly_domain::click::Click;

use crate::spool::record::encode;
use crate::spool::{AppendError, Spool};
use crate::stats::{ClickStats, Counter};
use crate::warn_every::WarnEvery;

thread_local! {
    /// Each thread's encoding buffer, reused so an append allocates nothing.
    static FRAME: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Appends clicks to the spool; cheap to clone.
#[derive(Clone)]
pub struct ClickSink {
    spool: Arc<Spool>,
    stats: Arc<ClickStats>,
    drop_warning: Arc<WarnEvery>,
}

impl ClickSink {
    pub(crate) fn new(spool: Arc<Spool>, stats: Arc<ClickStats>) -> Self {
        Self {
            spool,
            stats,
            drop_warning: Arc::new(WarnEvery::new()),
        }
    }

    /// Spools `click`; true once it is in the operating system's page cache, where a
    /// crash of the process cannot lose it. False when it was dropped.
    pub fn record(&self, click: &Click) -> bool {
        let appended = FRAME.with_borrow_mut(|frame| {
            frame.clear();
            encode(click, frame);
            self.spool.append(frame)
        });
        match appended {
            Ok(()) => {
                self.stats.add(Counter::Spooled, 1);
                true
            }
            Err(error) => {
                self.stats.add(Counter::Dropped, 1);
                self.drop_warning.warn(|| {
                    let why = match error {
                        AppendError::Full => format!(
                            "the spool holds its maximum ({} bytes, TRACKLY_SPOOL_MAX_BYTES)",
                            self.spool.bytes_on_disk()
                        ),
                        AppendError::Closed => "the service is stopping".to_owned(),
                        AppendError::Io(error) => format!("the disk refused the write: {error}"),
                    };
                    format!(
                        "clicks are being dropped: {why}; {} dropped so far",
                        self.stats.get(Counter::Dropped)
                    )
                });
                false
            }
        }
    }

    /// The pipeline's counters.
    pub fn stats(&self) -> &ClickStats {
        &self.stats
    }
}
