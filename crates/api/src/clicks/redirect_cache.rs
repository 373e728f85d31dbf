//! The redirect's offer-by-code cache. An entry is fresh for 5 seconds and is invalidated
//! at once when this node changes the offer. While the database is unreachable, a
//! stale entry is served, so tracking links keep working through an outage. After a
//! failure the database is not asked again for a second: redirects do not queue behind
//! a dead pool.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::sync::Cache;
use trackly_store::clicks::{find_redirect_target, RedirectTarget};
use trackly_store::PgPool;

use crate::db::run_db;
use crate::error::ApiError;

/// How long an entry is used without asking the database.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// How long an unused entry is kept for outages.
const KEEP_IDLE_FOR: Duration = Duration::from_secs(3600);
/// How long after a failed lookup the database is left alone.
const BACK_OFF_FOR: Duration = Duration::from_secs(1);
/// How many codes are cached.
const CAPACITY: u64 = 100_000;

/// A looked-up code: its offer, or `None` for an unknown code.
struct Entry {
    target: Option<RedirectTarget>,
    fetched_at: Instant,
}

/// Offers by tracking code, for redirects.
#[derive(Clone)]
pub struct RedirectCache {
    entries: Cache<String, Arc<Entry>>,
    database_failed_at: Arc<Mutex<Option<Instant>>>,
}

impl RedirectCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_idle(KEEP_IDLE_FOR)
                .build(),
            database_failed_at: Arc::new(Mutex::new(None)),
        }
    }

    /// The offer with tracking code `code`, from the cache or the database.
    pub async fn lookup(
        &self,
        pool: &PgPool,
        code: &str,
    ) -> Result<Option<RedirectTarget>, ApiError> {
        let cached = self.entries.get(code);
        if let Some(entry) = &cached {
            if entry.fetched_at.elapsed() < FRESH_FOR || self.backing_off() {
                return Ok(entry.target.clone());
            }
        } else if self.backing_off() {
            return Err(ApiError::unavailable(
                "the database failed within the last second",
            ));
        }
        let owned = code.to_owned();
        match run_db(pool, move |conn| Ok(find_redirect_target(conn, &owned)?)).await {
            Ok(target) => {
                let entry = Entry {
                    target: target.clone(),
                    fetched_at: Instant::now(),
                };
                self.entries.insert(code.to_owned(), Arc::new(entry));
                Ok(target)
            }
            Err(error) => {
                *self
                    .database_failed_at
                    .lock()
                    .unwrap_or_else(|poison| poison.into_inner()) = Some(Instant::now());
                match cached {
                    Some(entry) => Ok(entry.target.clone()),
                    None => Err(error),
                }
            }
        }
    }

    /// Forgets `code`, after this node created, changed or archived its offer.
    pub fn invalidate(&self, code: &str) {
        self.entries.invalidate(code);
    }

    fn backing_off(&self) -> bool {
        self.database_failed_at
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .is_some_and(|at| at.elapsed() < BACK_OFF_FOR)
    }
}

impl Default for RedirectCache {
    fn default() -> Self {
        Self::new()
    }
}
