//! The r2d2 connection pool. Connections are not tested with a query on every checkout
//! (that would add a round trip to every request); instead a connection that failed at
//! the connection level is marked lost and r2d2 replaces it on return.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{
    Builder, Error as ManagerError, HandleError, ManageConnection, NopErrorHandler, Pool,
    PooledConnection, R2D2Connection,
};
use diesel::Connection;

use crate::error::StoreError;

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<PgManager>;
/// A connection borrowed from the pool.
pub type PooledPg = PooledConnection<PgManager>;

/// How long a request waits for a connection before the API answers 503 (SPEC §8.2).
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// A pooled connection that remembers whether it lost its server.
pub struct PgHandle {
    conn: PgConnection,
    lost: bool,
}

impl PgHandle {
    /// Marks the connection as lost: the pool drops it instead of lending it again.
    pub fn mark_lost(&mut self) {
        self.lost = true;
    }

    /// Runs `work` on the connection and marks it lost when `work` reports the database
    /// unavailable (a closed socket or a failed send).
    pub fn run<T, E>(
        &mut self,
        work: impl FnOnce(&mut PgConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: IsUnavailable,
    {
        let result = work(&mut self.conn);
        if result.as_ref().is_err_and(IsUnavailable::is_unavailable) {
            self.lost = true;
        }
        result
    }
}

/// Errors that can say "the database connection is gone".
pub trait IsUnavailable {
    /// True when the error means the connection or server is unreachable.
    fn is_unavailable(&self) -> bool;
}

impl IsUnavailable for StoreError {
    fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

impl Deref for PgHandle {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.conn
    }
}

impl DerefMut for PgHandle {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.conn
    }
}

/// Opens connections to one database URL for r2d2.
pub struct PgManager {
    database_url: String,
}

impl ManageConnection for PgManager {
    type Connection = PgHandle;
    type Error = ManagerError;

    fn connect(&self) -> Result<PgHandle, ManagerError> {
        PgConnection::establish(&self.database_url)
            .map(|conn| PgHandle { conn, lost: false })
            .map_err(ManagerError::ConnectionError)
    }

    fn is_valid(&self, handle: &mut PgHandle) -> Result<(), ManagerError> {
        handle
            .conn
            .batch_execute("SELECT 1")
            .map_err(ManagerError::QueryError)
    }

    fn has_broken(&self, handle: &mut PgHandle) -> bool {
        handle.lost || std::thread::panicking() || handle.conn.is_broken()
    }
}

/// Closes the pool's idle connections, after their server went away: each would fail the
/// next request it is lent to. Connections lent out are left to fail on their own.
pub fn discard_idle(pool: &PgPool) {
    while let Some(mut conn) = pool.try_get() {
        conn.mark_lost();
    }
}

/// Builds a pool of at most `size` connections. It does not connect yet, so the service
/// can start (and report itself unready) while the database is down. Its failures to
/// connect, which it retries every second during an outage, log a warning at most every
/// 10 seconds.
pub fn build_pool(database_url: &str, size: u32) -> PgPool {
    builder(size)
        .error_handler(Box::new(WarnEvery::new(OUTAGE_WARNING_EVERY)))
        .build_unchecked(manager(database_url))
}

/// How often a database outage is logged.
const OUTAGE_WARNING_EVERY: Duration = Duration::from_secs(10);

/// Logs the pool's failures to connect as warnings, at most one per period, with how
/// many were left unlogged since the last.
#[derive(Debug)]
struct WarnEvery {
    period: Duration,
    /// When the last warning was logged, and the failures since.
    last: Mutex<(Option<Instant>, u64)>,
}

impl WarnEvery {
    fn new(period: Duration) -> Self {
        Self {
            period,
            last: Mutex::new((None, 0)),
        }
    }
}

impl WarnEvery {
    /// Counts a failure at `now`: `Some(failures left unlogged before it)` when it is to
    /// be logged, `None` within the period of the last warning.
    fn due(&self, now: Instant) -> Option<u64> {
        let mut last = self.last.lock().ok()?;
        let (logged_at, unlogged) = &mut *last;
        if logged_at.is_some_and(|at| now.saturating_duration_since(at) < self.period) {
            *unlogged += 1;
            return None;
        }
        *logged_at = Some(now);
        Some(std::mem::take(unlogged))
    }
}

impl HandleError<ManagerError> for WarnEvery {
    fn handle_error(&self, error: ManagerError) {
        match self.due(Instant::now()) {
            Some(0) => log::warn!("cannot connect to PostgreSQL: {error}"),
            Some(unlogged) => log::warn!(
                "cannot connect to PostgreSQL: {error} ({unlogged} more failures since the last warning)"
            ),
            None => {}
        }
    }
}

/// `build_pool` for a server whose state is reported elsewhere (the read replica's, by
/// its monitor, once per change): its failures to connect, which the pool retries every
/// second while the server is away, are not logged.
pub fn build_quiet_pool(database_url: &str, size: u32) -> PgPool {
    builder(size)
        .error_handler(Box::new(NopErrorHandler))
        .build_unchecked(manager(database_url))
}

fn builder(size: u32) -> Builder<PgManager> {
    Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(0))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .test_on_check_out(false)
}

fn manager(database_url: &str) -> PgManager {
    PgManager {
        database_url: database_url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_logged_once_per_period_with_the_failures_in_between() {
        let warn = WarnEvery::new(Duration::from_secs(10));
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        let cases = [
            (at(0), Some(0), "the first failure is logged"),
            (at(1), None, "one a second later is counted, not logged"),
            (at(9), None, "so is one just inside the period"),
            (
                at(10),
                Some(2),
                "the period over, the next is logged with the two before",
            ),
            (at(11), None, "and a new period starts"),
            (at(25), Some(1), "a failure long after is logged at once"),
        ];
        for (now, expected, description) in cases {
            assert_eq!(warn.due(now), expected, "{description}");
        }
    }
}
