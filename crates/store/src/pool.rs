//! The r2d2 connection pool. Connections are not tested with a query on every checkout
//! (that would add a round trip to every request); instead a connection that failed at
//! the connection level is marked lost and r2d2 replaces it on return.

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{
    Builder, Error as ManagerError, ManageConnection, NopErrorHandler, Pool, PooledConnection,
    R2D2Connection,
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
/// can start (and report itself unready) while the database is down.
pub fn build_pool(database_url: &str, size: u32) -> PgPool {
    builder(size).build_unchecked(manager(database_url))
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
