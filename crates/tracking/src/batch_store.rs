//! Storing one batch of clicks, whatever the database does: retried with backoff while
//! it is unavailable (the clicks wait in the spool), retried skipping clicks already
//! stored when it refuses a copy, and written click by click when it still refuses, so
//! one bad row never holds back the others.

use std::sync::Arc;
use std::time::Duration;

use trackly_app::clicks::{self, MayBeStored, Remembered, StoredClicks};
use trackly_app::{App, AppError};
use trackly_domain::click::Click;

use crate::key_memo::KeyMemo;
use crate::spool::Spool;
use crate::stats::{ClickStats, Counter};
use crate::warn_every::WarnEvery;
use crate::writer::StopSignal;

/// The first and the longest pause between retries of a failed batch.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(2));
/// Visitors remembered as stored, so their rows are not inserted again (≈ 4 MB).
const KNOWN_VISITORS: usize = 100_000;
/// First-click keys remembered as taken, so repeat clicks of a message skip the claim
/// (≈ 4 MB).
const KNOWN_CLAIMS: usize = 100_000;

/// How a batch ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// Committed (clicks the database refused for good are counted lost).
    Stored,
    /// Shutdown's deadline passed while the database was unavailable: the batch stays in
    /// the spool for the next start.
    LeftInSpool,
}

/// What every writer connection shares.
#[derive(Clone)]
pub(crate) struct BatchStore {
    app: App,
    spool: Arc<Spool>,
    stats: Arc<ClickStats>,
    stop: Arc<StopSignal>,
    known_visitors: KeyMemo,
    known_claims: KeyMemo,
}

impl BatchStore {
    pub(crate) fn new(
        app: App,
        spool: Arc<Spool>,
        stats: Arc<ClickStats>,
        stop: Arc<StopSignal>,
    ) -> Self {
        Self {
            app,
            spool,
            stats,
            stop,
            known_visitors: KeyMemo::new(KNOWN_VISITORS),
            known_claims: KeyMemo::new(KNOWN_CLAIMS),
        }
    }

    /// Stores `batch`; `may_be_stored` when some of its clicks may be in the database
    /// already (a replay after a crash).
    pub(crate) fn store(&self, batch: &[Click], may_be_stored: bool) -> Attempt {
        let mut pause = BACKOFF.0;
        let mut may_be_stored = may_be_stored;
        let outage_warning = WarnEvery::new();
        let mut failed = false;
        loop {
            match self.store_once(batch, may_be_stored) {
                Ok(()) => {
                    if failed {
                        log::info!("click writer recovered; the spooled clicks are being stored");
                    }
                    return Attempt::Stored;
                }
                Err(AppError::Unavailable(error)) => {
                    failed = true;
                    // The connection may have died after the commit: look before storing.
                    may_be_stored = true;
                    if self.stop.past_deadline() {
                        return Attempt::LeftInSpool;
                    }
                    outage_warning.warn(|| {
                        format!(
                            "cannot store clicks, retrying; they wait in the spool ({} bytes): {error}",
                            self.spool.bytes_on_disk()
                        )
                    });
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(BACKOFF.1);
                }
                Err(error) if !may_be_stored => {
                    // A watermark that lagged behind the database (after a crash of the
                    // machine) makes stored clicks look fresh: retry, skipping those.
                    log::warn!(
                        "a click batch was refused ({error}); retrying it, skipping clicks \
                         already stored"
                    );
                    may_be_stored = true;
                }
                Err(error) => {
                    log::error!(
                        "a click batch was refused ({error}); storing its clicks one by one"
                    );
                    return self.store_one_by_one(batch);
                }
            }
        }
    }

    /// Stores each click alone: those the database refuses are logged and counted lost.
    fn store_one_by_one(&self, batch: &[Click]) -> Attempt {
        for click in batch {
            match self.store_once(std::slice::from_ref(click), true) {
                Ok(()) => {}
                Err(AppError::Unavailable(_)) => {
                    if self.store(std::slice::from_ref(click), true) == Attempt::LeftInSpool {
                        return Attempt::LeftInSpool;
                    }
                }
                Err(error) => {
                    log::error!(
                        "click {} could not be stored and is lost: {error}",
                        click.id
                    );
                    self.stats.add(Counter::Lost, 1);
                }
            }
        }
        Attempt::Stored
    }

    fn store_once(&self, batch: &[Click], may_be_stored: bool) -> Result<(), AppError> {
        let remembered = Remembered {
            visitor: &|key| self.known_visitors.contains(key),
            claim: &|key| self.known_claims.contains(key),
        };
        let mode = if may_be_stored {
            MayBeStored::Yes
        } else {
            MayBeStored::No
        };
        let StoredClicks {
            stored,
            already_stored,
            new_visitors,
            taken_claims,
        } = clicks::store(&self.app, batch, remembered, mode)?;
        self.known_visitors.remember(new_visitors);
        self.known_claims.remember(taken_claims);
        self.stats.add(Counter::Stored, stored as u64);
        self.stats
            .add(Counter::AlreadyStored, already_stored as u64);
        Ok(())
    }
}
