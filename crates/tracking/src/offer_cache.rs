//! The offer cache: offers by tracking code, from a cache in front of the database. An
//! entry is fresh for 5 seconds and is invalidated as soon as the app hears of a change
//! to the offer: at once for this node's own, within milliseconds for other writers'
//! (the app's log of offer changes). While the database is unreachable, a
//! stale entry is served, so tracking links keep working through an outage. After a
//! failure the database is not asked again for a second: redirects do not queue behind
//! a dead pool.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::sync::Cache;
use trackly_app::{clicks, App};
use trackly_domain::click::RedirectTarget;

use crate::backoff::DatabaseBackoff;
use crate::error::TrackingError;

/// How long an entry is used without asking the database.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// How long an unused entry is kept for outages.
const KEEP_IDLE_FOR: Duration = Duration::from_secs(3600);
/// How many codes are cached.
const CAPACITY: u64 = 100_000;

/// A looked-up code: its offer, or `None` for an unknown code.
struct Entry {
    target: Option<RedirectTarget>,
    fetched_at: Instant,
}

/// Offers by tracking code, for redirects.
#[derive(Clone)]
pub struct OfferCache {
    app: App,
    entries: Cache<String, Arc<Entry>>,
    backoff: DatabaseBackoff,
}

impl OfferCache {
    /// An empty cache in front of `app`'s database.
    pub fn new(app: App) -> Self {
        Self {
            app,
            entries: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_idle(KEEP_IDLE_FOR)
                .build(),
            backoff: DatabaseBackoff::default(),
        }
    }

    /// The offer with tracking code `code`, from the cache or the database.
    pub async fn lookup(&self, code: &str) -> Result<Option<RedirectTarget>, TrackingError> {
        let cached = self.entries.get(code);
        if let Some(entry) = &cached {
            if entry.fetched_at.elapsed() < FRESH_FOR || self.backoff.backing_off() {
                return Ok(entry.target.clone());
            }
        } else if self.backoff.backing_off() {
            return Err(TrackingError::Unavailable(
                "the database failed within the last second".to_owned(),
            ));
        }
        match self.fetch(code).await {
            Ok(target) => {
                let entry = Entry {
                    target: target.clone(),
                    fetched_at: Instant::now(),
                };
                self.entries.insert(code.to_owned(), Arc::new(entry));
                Ok(target)
            }
            Err(error) => {
                self.backoff.failed();
                match cached {
                    Some(entry) => Ok(entry.target.clone()),
                    None => Err(error),
                }
            }
        }
    }

    /// Looks `code` up in the database.
    async fn fetch(&self, code: &str) -> Result<Option<RedirectTarget>, TrackingError> {
        clicks::redirect_target(&self.app, code)
            .await
            .map_err(|error| TrackingError::Unavailable(error.to_string()))
    }

    /// What forgets a code after a node created, changed or archived its offer, for the
    /// app's offer listeners. It holds the entries only, not the app: a listener that
    /// held the app would keep it, its pools and its threads, alive for ever.
    pub fn forgetter(&self) -> impl Fn(&str) + Send + Sync + 'static {
        let entries = self.entries.clone();
        move |code| entries.invalidate(code)
    }
}
