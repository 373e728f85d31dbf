//! What every handler shares: the pool, caches, the click sink and settings.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use trackly_domain::ObjectId;
use trackly_store::PgPool;

use crate::clicks::{BotDetector, ClickSink, RedirectCache};

/// How long an authenticated key is trusted without asking the database. Below the
/// SPEC's 5 seconds so a revoked key stops working in time on every node.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(4);
/// How many distinct keys the cache holds.
const KEY_CACHE_CAPACITY: u64 = 100_000;

/// Settings of the HTTP app, from the configuration.
pub struct AppSettings {
    /// Base of tracking links (`click_url`).
    pub public_url: String,
    /// Take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// User-agent patterns and bot networks.
    pub bots: BotDetector,
}

/// Shared state of the HTTP app.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub pool: PgPool,
    /// SHA-256 of a key → its account, for `KEY_CACHE_TTL`. Concurrent misses for one
    /// key share one database lookup.
    pub key_cache: Cache<[u8; 32], ObjectId>,
    /// Offers by tracking code, for redirects.
    pub redirects: RedirectCache,
    /// Where redirects put clicks.
    pub clicks: ClickSink,
    /// Bot classification inputs.
    pub bots: Arc<BotDetector>,
    /// Base of tracking links, without a trailing slash.
    pub public_url: String,
    /// Take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
}

impl AppState {
    /// State for `pool` and `settings`, with redirects recording into `clicks`.
    pub fn new(pool: PgPool, clicks: ClickSink, settings: AppSettings) -> Self {
        Self {
            pool,
            key_cache: Cache::builder()
                .max_capacity(KEY_CACHE_CAPACITY)
                .time_to_live(KEY_CACHE_TTL)
                .build(),
            redirects: RedirectCache::new(),
            clicks,
            bots: Arc::new(settings.bots),
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
            trust_proxy: settings.trust_proxy,
        }
    }
}
