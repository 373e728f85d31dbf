//! The link cache (SPEC §9.4): what following a link needs, by link id. Links never
//! change and are never deleted, so a found link stays cached until memory is needed for
//! others (32 MiB of them, by what each entry really takes: about 130 bytes for a link
//! with a message, a list and a contact); a link not in memory is looked up once, in a
//! batch with the other misses of the moment (`RouteLoader`). An unknown id is
//! remembered for a second only, since it may be created on another node at any moment.
//! After a failed lookup the database is left alone for a second, and links not cached
//! answer as unavailable.

use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;
use quick_cache::Weighter;
use trackly_app::App;
use trackly_domain::link::{LinkId, LINK_ID_LENGTH};

use crate::backoff::DatabaseBackoff;
use crate::cached_route::CachedRoute;
use crate::error::TrackingError;
use crate::route_loader::RouteLoader;

/// The memory the cached links may take, by `CachedRoute::weight`.
const CAPACITY_BYTES: u64 = 32 * 1024 * 1024;
/// About how many links that is, for the cache's tables.
const ESTIMATED_LINKS: usize = 250_000;
/// How long an unknown id answers 404 without asking the database again.
const UNKNOWN_FOR: Duration = Duration::from_secs(1);

/// A link id's bytes: the cache's key.
type Key = [u8; LINK_ID_LENGTH];

/// A looked-up id.
#[derive(Clone)]
enum Slot {
    Found(CachedRoute),
    /// No such link when the database was asked, at that moment.
    Unknown(Instant),
}

/// Weighs a slot by the memory it takes.
#[derive(Clone)]
struct SlotWeighter;

impl Weighter<Key, Slot> for SlotWeighter {
    fn weight(&self, _: &Key, slot: &Slot) -> u64 {
        match slot {
            Slot::Found(route) => route.weight(),
            Slot::Unknown(_) => std::mem::size_of::<(Key, Slot)>() as u64,
        }
    }
}

/// Links by id, for redirects.
#[derive(Clone)]
pub(crate) struct LinkCache {
    loader: RouteLoader,
    entries: Arc<Cache<Key, Slot, SlotWeighter>>,
    backoff: DatabaseBackoff,
}

impl LinkCache {
    /// An empty cache in front of `app`'s database.
    pub(crate) fn new(app: App) -> Self {
        Self {
            loader: RouteLoader::start(app),
            entries: Arc::new(Cache::with_weighter(
                ESTIMATED_LINKS,
                CAPACITY_BYTES,
                SlotWeighter,
            )),
            backoff: DatabaseBackoff::default(),
        }
    }

    /// The link `link_id`, from the cache or the database.
    pub(crate) async fn lookup(
        &self,
        link_id: &LinkId,
    ) -> Result<Option<CachedRoute>, TrackingError> {
        let key = key(link_id);
        let cached = self.entries.get(&key);
        match &cached {
            Some(Slot::Found(route)) => return Ok(Some(route.clone())),
            Some(Slot::Unknown(at)) if at.elapsed() < UNKNOWN_FOR => return Ok(None),
            _ => {}
        }
        if self.backoff.backing_off() {
            return match cached {
                Some(_) => Ok(None),
                None => Err(TrackingError::Unavailable(
                    "the database failed within the last second".to_owned(),
                )),
            };
        }
        match self.loader.load(link_id.clone()).await {
            Ok(route) => {
                let slot = match &route {
                    Some(route) => Slot::Found(route.clone()),
                    None => Slot::Unknown(Instant::now()),
                };
                self.entries.insert(key, slot);
                Ok(route)
            }
            Err(error) => {
                self.backoff.failed();
                Err(TrackingError::Unavailable(error))
            }
        }
    }
}

/// The cache key of `link_id`.
fn key(link_id: &LinkId) -> Key {
    let mut key = [0; LINK_ID_LENGTH];
    // A `LinkId` is exactly `LINK_ID_LENGTH` ASCII characters, so every byte is copied.
    for (byte, from) in key.iter_mut().zip(link_id.as_str().bytes()) {
        *byte = from;
    }
    key
}
