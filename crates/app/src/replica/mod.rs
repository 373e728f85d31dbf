//! The read replica (SPEC §14): a second pool, on a PostgreSQL streaming replica, for the
//! reads that tolerate a second of lag. Its monitor says while it is within its lag
//! bound; a read that finds it gone withdraws it until the monitor finds it back.

mod freshness;
mod monitor;
mod wal_samples;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use trackly_store::{build_quiet_pool, discard_idle, PgPool};

use freshness::Freshness;
pub use freshness::ReplicaState;

/// How often a read the replica failed (not for want of a connection) is logged: a
/// replica that fails every query must not log once per request.
const FAILED_READ_LOG_INTERVAL: Duration = Duration::from_secs(60);

/// A streaming replica of the primary for the reads that tolerate lag
/// (`DATABASE_READ_URL`), and how far behind it may be (`TRACKLY_READ_MAX_LAG_MS`).
#[derive(Debug, Clone)]
pub struct ReadReplica {
    /// Its connection URL.
    pub url: String,
    /// How old a write may be and still be missing from what it answers; further behind,
    /// reads go to the primary.
    pub max_lag: Duration,
}

/// The replica's pool and what is known of its lag. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Replica {
    pool: PgPool,
    freshness: Arc<Freshness>,
    failed_read_logged: Arc<Mutex<Option<Instant>>>,
}

impl Replica {
    /// A pool of at most `pool_size` connections to `replica`, not in use until its
    /// monitor, comparing it with the primary at `primary_url`, finds it within its bound.
    pub(crate) fn start(primary_url: &str, replica: &ReadReplica, pool_size: u32) -> Self {
        let freshness = Arc::new(Freshness::new());
        let pool = build_quiet_pool(&replica.url, pool_size);
        monitor::spawn(
            primary_url,
            &replica.url,
            replica.max_lag,
            pool.clone(),
            Arc::downgrade(&freshness),
        );
        Self {
            pool,
            freshness,
            failed_read_logged: Arc::default(),
        }
    }

    /// The pool on the replica.
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// True while the replica may serve reads.
    pub(crate) fn is_fresh(&self) -> bool {
        self.freshness.is_fresh()
    }

    /// The replica's state now.
    pub(crate) fn state(&self) -> ReplicaState {
        self.freshness.state()
    }

    /// A read lost its connection to the replica: reads go to the primary until the
    /// monitor reaches it again (and logs the change), and the pool's other idle
    /// connections, to the same server, are closed.
    pub(crate) fn lost(&self) {
        self.freshness.withdraw(ReplicaState::Unreachable);
        discard_idle(&self.pool);
    }

    /// A read failed on the replica for another reason (a schema it has not replayed yet,
    /// a query cancelled by replay) and was asked of the primary: logged at most once a
    /// minute.
    pub(crate) fn read_failed(&self, cause: &str) {
        let mut logged = self
            .failed_read_logged
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if logged.is_none_or(|at| at.elapsed() >= FAILED_READ_LOG_INTERVAL) {
            *logged = Some(Instant::now());
            log::warn!("a read failed on the read replica and was asked of the primary: {cause}");
        }
    }
}
