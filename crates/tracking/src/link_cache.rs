//! The link cache (SPEC §9.4): what following a link needs, by link id. Links never
//! change and are never deleted, so a found link stays cached until memory is needed for
//! others (about 32 MiB of them, least recently used first out); a link not in memory is
//! looked up once, in a batch with the other misses of the moment (`RouteLoader`). An
//! unknown id is remembered for a second only, since it may be
//! created on another node at any moment. After a failed lookup the database is left
//! alone for a second, and links not cached answer as unavailable.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::sync::Cache;
use trackly_app::App;
use trackly_domain::link::{LinkId, LinkRoute, RouteTarget};

use crate::backoff::DatabaseBackoff;
use crate::error::TrackingError;
use crate::route_loader::RouteLoader;

/// The memory the cached links may take, by the estimate of `weight`.
const CAPACITY_BYTES: u64 = 32 * 1024 * 1024;
/// How long an unknown id answers 404 without asking the database again.
const UNKNOWN_FOR: Duration = Duration::from_secs(1);

/// A looked-up id: its route, or `None` for an unknown id.
struct Entry {
    route: Option<Arc<LinkRoute>>,
    fetched_at: Instant,
}

/// Links by id, for redirects.
#[derive(Clone)]
pub(crate) struct LinkCache {
    loader: RouteLoader,
    entries: Cache<LinkId, Arc<Entry>>,
    backoff: DatabaseBackoff,
}

impl LinkCache {
    /// An empty cache in front of `app`'s database.
    pub(crate) fn new(app: App) -> Self {
        Self {
            loader: RouteLoader::start(app),
            entries: Cache::builder()
                .max_capacity(CAPACITY_BYTES)
                .weigher(|_, entry: &Arc<Entry>| weight(entry))
                .build(),
            backoff: DatabaseBackoff::default(),
        }
    }

    /// The link `link_id`, from the cache or the database.
    pub(crate) async fn lookup(
        &self,
        link_id: &LinkId,
    ) -> Result<Option<Arc<LinkRoute>>, TrackingError> {
        let cached = self.entries.get(link_id);
        if let Some(entry) = &cached {
            if entry.route.is_some() || entry.fetched_at.elapsed() < UNKNOWN_FOR {
                return Ok(entry.route.clone());
            }
        }
        if self.backoff.backing_off() {
            return match cached {
                Some(entry) => Ok(entry.route.clone()),
                None => Err(TrackingError::Unavailable(
                    "the database failed within the last second".to_owned(),
                )),
            };
        }
        match self.loader.load(link_id.clone()).await {
            Ok(route) => {
                let route = route.map(Arc::new);
                let entry = Entry {
                    route: route.clone(),
                    fetched_at: Instant::now(),
                };
                self.entries.insert(link_id.clone(), Arc::new(entry));
                Ok(route)
            }
            Err(error) => {
                self.backoff.failed();
                Err(TrackingError::Unavailable(error))
            }
        }
    }
}

/// An entry's approximate size in bytes: its text and a fixed overhead for the
/// structures around it.
fn weight(entry: &Entry) -> u32 {
    const OVERHEAD: usize = 160;
    let text = entry.route.as_ref().map_or(0, |route| {
        let target = match &route.target {
            RouteTarget::Url(url) => url.len(),
            RouteTarget::Offer(code) => code.as_str().len(),
        };
        target
            + route.message_id.as_ref().map_or(0, String::len)
            + route.list_id.as_ref().map_or(0, String::len)
            + route
                .contact_phone
                .as_ref()
                .map_or(0, |phone| phone.as_str().len())
    });
    u32::try_from(OVERHEAD + text).unwrap_or(u32::MAX)
}
