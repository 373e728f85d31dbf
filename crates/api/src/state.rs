//! What every handler shares: the app, the key cache, the link tracker and settings.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use trackly_app::{App, Paged};
use trackly_domain::{ObjectId, Offer};
use trackly_sync::{ClientOptions, Schedule, Syncer};
use trackly_tracking::Tracker;

use crate::rendered::Rendered;
use crate::views::links::LinkBase;

/// How long an authenticated key is trusted without asking the database. Below the
/// SPEC's 5 seconds so a revoked key stops working in time on every node.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(4);
/// How many distinct keys the cache holds.
const KEY_CACHE_CAPACITY: u64 = 100_000;
/// Bytes of rendered pages of offers kept (a page of 50 is about 30 KB).
const RENDERED_PAGES_BYTES: u64 = 8 << 20;

/// Settings of the HTTP app, from the configuration.
pub struct AppSettings {
    /// Base of tracking links (`click_url`).
    pub public_url: String,
    /// Take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// How patient calls to TUNE and Everflow are (SPEC §10.4).
    pub platform_options: ClientOptions,
}

/// Shared state of the HTTP app.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    /// SHA-256 of a key → its account, for `KEY_CACHE_TTL`. Concurrent misses for one
    /// key share one database lookup.
    pub key_cache: Cache<[u8; 32], ObjectId>,
    /// Follows tracking links and spools their clicks.
    pub tracker: Tracker,
    /// Base of tracking links, without a trailing slash.
    pub public_url: String,
    /// The host of `public_url`: a short link's `domain` (SPEC §9.1).
    pub public_host: String,
    /// Take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// How patient calls to TUNE and Everflow are.
    pub platform_options: ClientOptions,
    /// Runs syncs asked for over the API.
    pub syncer: Syncer,
    /// The JSON of the pages of offers the app's offer cache hands out, rendered once.
    pub offer_pages: Arc<Rendered<Paged<Offer>>>,
}

impl AppState {
    /// Where short links live (SPEC §9.1).
    pub fn link_base(&self) -> LinkBase {
        LinkBase {
            public_url: self.public_url.clone(),
            domain: self.public_host.clone(),
        }
    }

    /// State for `app` and `settings`, with redirects followed by `tracker`.
    pub fn new(app: App, tracker: Tracker, settings: AppSettings) -> Self {
        let syncer = Syncer::new(
            app.clone(),
            settings.platform_options.clone(),
            Schedule::default(),
        );
        Self {
            app,
            key_cache: Cache::builder()
                .max_capacity(KEY_CACHE_CAPACITY)
                .time_to_live(KEY_CACHE_TTL)
                .build(),
            tracker,
            public_host: url::Url::parse(&settings.public_url)
                .ok()
                .and_then(|url| url.host_str().map(str::to_owned))
                .unwrap_or_default(),
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
            trust_proxy: settings.trust_proxy,
            syncer,
            platform_options: settings.platform_options,
            offer_pages: Arc::new(Rendered::new(RENDERED_PAGES_BYTES)),
        }
    }
}
