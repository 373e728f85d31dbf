//! The change reader: a thread with a PostgreSQL session of its own that reads the log of
//! offer changes every `POLL_INTERVAL`, hands each change to the watch, and so confirms
//! that it sees every change. It reconnects after a failure, and stops once the app that
//! started it is gone.

use std::sync::Weak;
use std::time::{Duration, Instant};

use trackly_store::database::connect;
use trackly_store::offer_changes::ChangeReader;
use trackly_store::{PgConnection, StoreError};

use super::OfferWatch;

/// How often the log is read: the longest a change committed elsewhere waits, beyond the
/// read itself, to reach this node.
const POLL_INTERVAL: Duration = Duration::from_millis(10);
/// How often this node deletes the rows every reader has long read.
const CLEAN_INTERVAL: Duration = Duration::from_secs(10);
/// How long the rows of finished transactions stay in the log: far longer than any
/// reader's pause between two reads.
const CHANGES_KEPT_FOR: Duration = Duration::from_secs(600);
/// How long the reader may go without reading and still catch up: below
/// `CHANGES_KEPT_FOR`, so that no row it has not read yet was deleted meanwhile.
const CATCH_UP_LIMIT: Duration = Duration::from_secs(60);
/// The pause before connecting again after a failure.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);

/// Starts the change reader for `watch` on the database at `database_url`.
pub(crate) fn spawn(database_url: &str, watch: Weak<OfferWatch>) {
    let database_url = database_url.to_owned();
    let started = std::thread::Builder::new()
        .name("offer-changes".to_owned())
        .spawn(move || run(&database_url, &watch));
    if let Err(error) = started {
        log::error!("offer changes cannot be read ({error}); offers are read uncached");
    }
}

fn run(database_url: &str, watch: &Weak<OfferWatch>) {
    let mut reported_failure = false;
    loop {
        let session = connect(database_url).and_then(|mut conn| {
            let reader = ChangeReader::start(&mut conn)?;
            Ok((conn, reader))
        });
        let failure = match session {
            Ok((conn, reader)) => {
                if reported_failure {
                    log::info!("offer changes are read again; offer reads are cached");
                    reported_failure = false;
                }
                match follow(conn, reader, watch) {
                    Some(failure) => failure,
                    None => return,
                }
            }
            Err(failure) => failure,
        };
        let Some(lost) = watch.upgrade() else {
            return;
        };
        lost.reading_lost();
        drop(lost);
        if !reported_failure {
            log::warn!("offer changes cannot be read ({failure}); offers are read uncached");
            reported_failure = true;
        }
        std::thread::sleep(RECONNECT_AFTER);
    }
}

/// Hands changes to the watch until the session fails (its error) or the watch is gone
/// (`None`). Each read catches up on everything since the one before; one that comes
/// later than `CATCH_UP_LIMIT` (a thread stalled for a minute) starts the cache afresh
/// instead, as rows it never read may have been deleted. A read late by less only
/// lets the trust lapse meanwhile, so nothing is served from the cache until it comes.
fn follow(
    mut conn: PgConnection,
    mut reader: ChangeReader,
    watch: &Weak<OfferWatch>,
) -> Option<StoreError> {
    watch.upgrade()?.reading_started();
    let mut read_at = Instant::now();
    let mut cleaned_at = Instant::now();
    loop {
        std::thread::sleep(POLL_INTERVAL);
        let watch = watch.upgrade()?;
        let changes = match reader.changes(&mut conn) {
            Ok(changes) => changes,
            Err(error) => return Some(error),
        };
        for change in changes {
            watch.changed(&change.account, &change.code);
        }
        if read_at.elapsed() > CATCH_UP_LIMIT {
            watch.reading_started();
        } else {
            watch.confirm_reading();
        }
        read_at = Instant::now();
        if cleaned_at.elapsed() >= CLEAN_INTERVAL {
            if let Err(error) = reader.forget_old_changes(&mut conn, CHANGES_KEPT_FOR) {
                return Some(error);
            }
            cleaned_at = Instant::now();
        }
    }
}
