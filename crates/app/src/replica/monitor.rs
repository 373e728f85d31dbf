//! The replica's monitor: a thread that, every check interval, asks the primary how far it
//! has written its log and the replica how far it has replayed it, and from the two says
//! until when the replica may serve reads. It logs each change of the replica's state
//! once (never per request), and stops once the app that started it is gone.

use std::sync::Weak;
use std::time::{Duration, Instant};

use trackly_store::database::connect;
use trackly_store::replication::{replayed_wal_position, written_wal_position};
use trackly_store::{discard_idle, PgConnection, PgPool, StoreError};

use super::freshness::{Freshness, ReplicaState};
use super::wal_samples::WalSamples;

/// The longest pause between two checks. With the default bound of a second, a replica
/// that keeps up stays in use even when one check comes half a second late.
const MAX_CHECK_INTERVAL: Duration = Duration::from_millis(250);
/// The shortest pause between two checks, whatever the bound.
const MIN_CHECK_INTERVAL: Duration = Duration::from_millis(10);

/// Starts the monitor of the replica at `replica_url`, which may serve reads while no
/// write older than `max_lag` is missing from it, writing what it finds to `freshness`.
/// While the replica cannot be reached, the idle connections of `pool` (the reads'
/// pool on it) are closed, so that none is lent to a read once it is back.
pub(crate) fn spawn(
    primary_url: &str,
    replica_url: &str,
    max_lag: Duration,
    pool: PgPool,
    freshness: Weak<Freshness>,
) {
    let monitor = Monitor {
        primary: Session::new(primary_url),
        replica: Session::new(replica_url),
        pool,
        samples: WalSamples::new(max_lag),
        max_lag,
        reported: None,
    };
    let started = std::thread::Builder::new()
        .name("replica-monitor".to_owned())
        .spawn(move || monitor.run(&freshness));
    if let Err(error) = started {
        log::error!(
            "the read replica's monitor could not start ({error}); reads go to the primary"
        );
    }
}

/// The monitor's own sessions and what it has seen.
struct Monitor {
    primary: Session,
    replica: Session,
    pool: PgPool,
    samples: WalSamples,
    max_lag: Duration,
    /// The state last logged.
    reported: Option<ReplicaState>,
}

impl Monitor {
    fn run(mut self, freshness: &Weak<Freshness>) {
        let interval = (self.max_lag / 4).clamp(MIN_CHECK_INTERVAL, MAX_CHECK_INTERVAL);
        let started = Instant::now();
        loop {
            // The first check waits too, so a database the primary has just created has
            // reached the replica.
            std::thread::sleep(interval);
            let Some(freshness) = freshness.upgrade() else {
                return;
            };
            // Until samples cover the bound, a replica behind them is not yet known to be
            // further behind than it.
            let judges_lag = started.elapsed() >= self.max_lag;
            if let Some((state, why)) = self.check(&freshness, judges_lag) {
                self.report(state, &why);
            }
        }
    }

    /// One check: the primary's position, then the replica's. The replica's state and
    /// why, unless it is too early to say.
    fn check(&mut self, freshness: &Freshness, judges_lag: bool) -> Option<(ReplicaState, String)> {
        // Taken before the primary is asked, so every write committed before this moment
        // is at or before the position it answers.
        let sampled_at = Instant::now();
        // A primary that does not answer gives no sample; the replica then falls behind
        // the bound, as nothing says what it misses.
        if let Ok(position) = self.primary.ask(written_wal_position) {
            self.samples.record(sampled_at, position);
        }
        let (state, why) = match self.replica.ask(replayed_wal_position) {
            Err(error) => {
                discard_idle(&self.pool);
                (
                    ReplicaState::Unreachable,
                    format!("unreachable ({})", one_line(&error)),
                )
            }
            Ok(None) => (
                ReplicaState::NotAStandby,
                "not a standby (a primary, or a replica since promoted)".to_owned(),
            ),
            Ok(Some(replayed)) => {
                let fresh_until = self
                    .samples
                    .caught_up_to(replayed)
                    .map(|caught_up| caught_up + self.max_lag)
                    .filter(|until| *until > Instant::now());
                if let Some(until) = fresh_until {
                    freshness.fresh_until(until);
                    return Some((ReplicaState::InUse, String::new()));
                }
                if !judges_lag {
                    return None;
                }
                (
                    ReplicaState::Lagging,
                    format!(
                        "further behind the primary than its bound of {} ms",
                        self.max_lag.as_millis()
                    ),
                )
            }
        };
        freshness.withdraw(state);
        Some((state, why))
    }

    /// Logs a change of state, once.
    fn report(&mut self, state: ReplicaState, why: &str) {
        if self.reported == Some(state) {
            return;
        }
        self.reported = Some(state);
        if state == ReplicaState::InUse {
            log::info!(
                "read replica in use: reads that tolerate {} ms of lag go to it",
                self.max_lag.as_millis()
            );
        } else {
            log::warn!("read replica {why}; its reads go to the primary until it is back");
        }
    }
}

/// A connection of the monitor's own, outside the pools (a busy pool must not make the
/// replica look late), made again after any failure.
struct Session {
    url: String,
    conn: Option<PgConnection>,
}

impl Session {
    fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            conn: None,
        }
    }

    fn ask<T>(
        &mut self,
        question: impl FnOnce(&mut PgConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => self.conn.insert(connect(&self.url)?),
        };
        let answer = question(conn);
        if answer.is_err() {
            self.conn = None;
        }
        answer
    }
}

/// libpq's message on one line (it breaks its reasons over several).
fn one_line(error: &StoreError) -> String {
    error
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
