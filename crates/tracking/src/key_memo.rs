//! Keys the click writer saw committed (visitor rows, first-click claims), so later
//! batches skip writing them again. Both kinds are never deleted in the database, so a
//! remembered key can only save work, never change an outcome; a key forgotten to make
//! room is simply written again (and found there).

use std::sync::Arc;

use quick_cache::sync::Cache;

/// A 16-byte digest the store hands out (`VisitorKey`, `ClaimKey`).
type Key = [u8; 16];

/// Up to a fixed number of keys, the least useful first out (about 40 bytes a key).
#[derive(Clone)]
pub(crate) struct KeyMemo {
    keys: Arc<Cache<Key, ()>>,
}

impl KeyMemo {
    /// A memo of at most `capacity` keys.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            keys: Arc::new(Cache::new(capacity)),
        }
    }

    /// True if `key` was remembered (and not forgotten since).
    pub(crate) fn contains(&self, key: &Key) -> bool {
        self.keys.get(key).is_some()
    }

    /// Remembers `keys`.
    pub(crate) fn remember(&self, keys: impl IntoIterator<Item = Key>) {
        for key in keys {
            self.keys.insert(key, ());
        }
    }
}
