//! The r2d2 connection pool.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;
/// A connection borrowed from the pool.
pub type PooledPg = PooledConnection<ConnectionManager<PgConnection>>;

/// How long a request waits for a connection before the API answers 503 (SPEC §8.2).
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// Builds a pool of at most `size` connections. It does not connect yet, so the service
/// can start (and report itself unready) while the database is down.
pub fn build_pool(database_url: &str, size: u32) -> PgPool {
    Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(0))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(database_url))
}
