//! What every handler shares: the pool, the API-key cache and the public URL.

use std::time::Duration;

use moka::sync::Cache;
use trackly_domain::ObjectId;
use trackly_store::PgPool;

/// How long an authenticated key is trusted without asking the database. Below the
/// SPEC's 5 seconds so a revoked key stops working in time on every node.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(4);
/// How many distinct keys the cache holds.
const KEY_CACHE_CAPACITY: u64 = 100_000;

/// Shared state of the HTTP app.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub pool: PgPool,
    /// SHA-256 of a key → its account, for `KEY_CACHE_TTL`.
    pub key_cache: Cache<[u8; 32], ObjectId>,
    /// Base of tracking links (`click_url`), without a trailing slash.
    pub public_url: String,
}

impl AppState {
    /// State for `pool`, with tracking links under `public_url`.
    pub fn new(pool: PgPool, public_url: &str) -> Self {
        Self {
            pool,
            key_cache: Cache::builder()
                .max_capacity(KEY_CACHE_CAPACITY)
                .time_to_live(KEY_CACHE_TTL)
                .build(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }
}
