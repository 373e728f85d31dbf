//! The offer read cache (SPEC §8.1, DECISIONS.md "Offer cache"): offers and pages of
//! offers as the primary last answered them, kept until any offer of their account
//! changes. A change is learned from this node's own writes at once, and from every other
//! writer (other nodes, platform syncs, psql) through the log of offer changes, which a
//! session of the node reads every few milliseconds.
//!
//! Invalidation is by stamp, not by removal: each account has a generation, bumped by
//! every change of one of its offers, and the cache as a whole an epoch, bumped whenever
//! its reading session starts or is lost. A read takes the stamp (epoch, generation)
//! before it asks the database and files its answer under that stamp; an entry serves
//! only while its stamp is still the current one. So an answer read before a change and
//! filed after it is never served, whatever the order of the two. While the reading
//! session has not read the log within the last `READING_GRACE`, nothing is served from
//! the cache and nothing is filed in it.

mod reader;
mod weight;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;
use quick_cache::Weighter;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{ObjectId, Offer, OfferCode};

use crate::Paged;

pub(crate) use reader::spawn as spawn_reader;

/// How long after its last read of the change log the reading session is trusted to
/// have seen every change: the longest a change committed elsewhere can go unseen when
/// the session silently stops working.
const READING_GRACE: Duration = Duration::from_secs(1);
/// How many entries the cache is sized for, beside its capacity in bytes.
const ESTIMATED_ENTRIES: usize = 10_000;

/// Called with an offer's code after the offer was created, changed or archived.
pub(crate) type OfferListener = Box<dyn Fn(&OfferCode) + Send + Sync>;

/// What a read was: one offer, or one page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ReadKey {
    Offer(ObjectId, OfferRef),
    Page(ObjectId, OfferFilter, Page),
}

/// The state of the cache a read started from: an entry filed under another stamp than
/// the current one is out of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    epoch: u64,
    generation: u64,
}

/// A read's answer as filed.
#[derive(Clone)]
enum Answer {
    Offer(Arc<Offer>),
    Page(Arc<Paged<Offer>>),
}

#[derive(Clone)]
struct Filed {
    stamp: Stamp,
    answer: Answer,
}

/// Weighs an entry by the bytes it holds.
#[derive(Clone)]
struct FiledWeighter;

impl Weighter<ReadKey, Filed> for FiledWeighter {
    fn weight(&self, key: &ReadKey, filed: &Filed) -> u64 {
        weight::of_key(key)
            + match &filed.answer {
                Answer::Offer(offer) => weight::of_offer(offer),
                Answer::Page(page) => page.items.iter().map(weight::of_offer).sum(),
            }
    }
}

/// A cache lookup: the answer, or the stamp to file the database's answer under (`None`:
/// the cache may not be used now, file nothing).
pub(crate) enum Lookup<T> {
    /// Filed under the current stamp.
    Hit(Arc<T>),
    /// Not filed, or out of date.
    Miss(Option<Stamp>),
}

/// The offer read cache and the callbacks told of every offer change.
pub(crate) struct OfferWatch {
    entries: Option<Cache<ReadKey, Filed, FiledWeighter>>,
    generations: RwLock<HashMap<ObjectId, u64>>,
    epoch: AtomicU64,
    /// Milliseconds after `started` until which the reading session is trusted.
    trusted_until_ms: AtomicU64,
    started: Instant,
    listeners: RwLock<Vec<OfferListener>>,
}

impl OfferWatch {
    /// A watch that caches nothing: it only tells listeners of this node's own changes.
    pub(crate) fn without_cache() -> Self {
        Self::new(None, Vec::new())
    }

    /// A watch caching up to `capacity_bytes` of offers once a reading session
    /// confirms itself, taking over the listeners of `before`.
    pub(crate) fn with_cache(capacity_bytes: u64, before: &OfferWatch) -> Self {
        let listeners = std::mem::take(
            &mut *before
                .listeners
                .write()
                .unwrap_or_else(|poison| poison.into_inner()),
        );
        let entries = Cache::with_weighter(ESTIMATED_ENTRIES, capacity_bytes, FiledWeighter);
        Self::new(Some(entries), listeners)
    }

    fn new(
        entries: Option<Cache<ReadKey, Filed, FiledWeighter>>,
        listeners: Vec<OfferListener>,
    ) -> Self {
        Self {
            entries,
            generations: RwLock::default(),
            epoch: AtomicU64::new(0),
            trusted_until_ms: AtomicU64::new(0),
            started: Instant::now(),
            listeners: RwLock::new(listeners),
        }
    }

    /// Adds a callback told of every offer change.
    pub(crate) fn listen(&self, listener: OfferListener) {
        self.listeners
            .write()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(listener);
    }

    /// An offer of `account` changed (this node's write, or another's read from the log): what
    /// is cached of the account's offers is out of date, and the listeners hear of it.
    pub(crate) fn changed(&self, account: &ObjectId, code: &OfferCode) {
        *self
            .generations
            .write()
            .unwrap_or_else(|poison| poison.into_inner())
            .entry(account.clone())
            .or_default() += 1;
        for listener in self
            .listeners
            .read()
            .unwrap_or_else(|poison| poison.into_inner())
            .iter()
        {
            listener(code);
        }
    }

    /// The reading session (re)started: what was filed before may have missed changes,
    /// so none of it is served again.
    fn reading_started(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.confirm_reading();
    }

    /// The reading session read the log: it is trusted for `READING_GRACE` more.
    fn confirm_reading(&self) {
        let until = self.started.elapsed() + READING_GRACE;
        let until_ms = u64::try_from(until.as_millis()).unwrap_or(u64::MAX);
        self.trusted_until_ms.store(until_ms, Ordering::Release);
    }

    /// The reading session is gone: changes go unseen until it is back.
    fn reading_lost(&self) {
        self.trusted_until_ms.store(0, Ordering::Release);
        self.epoch.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }

    /// The stamp a read starting now files its answer under; `None` while the cache may
    /// not be used.
    fn stamp(&self, account: &ObjectId) -> Option<Stamp> {
        self.entries.as_ref()?;
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if now_ms >= self.trusted_until_ms.load(Ordering::Acquire) {
            return None;
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let generation = self
            .generations
            .read()
            .unwrap_or_else(|poison| poison.into_inner())
            .get(account)
            .copied()
            .unwrap_or_default();
        Some(Stamp { epoch, generation })
    }

    fn lookup(&self, key: &ReadKey, account: &ObjectId) -> (Option<Answer>, Option<Stamp>) {
        let Some(stamp) = self.stamp(account) else {
            return (None, None);
        };
        let filed = self.entries.as_ref().and_then(|entries| entries.get(key));
        match filed {
            Some(filed) if filed.stamp == stamp => (Some(filed.answer), Some(stamp)),
            _ => (None, Some(stamp)),
        }
    }

    fn file(&self, key: ReadKey, stamp: Option<Stamp>, answer: Answer) {
        if let (Some(entries), Some(stamp)) = (&self.entries, stamp) {
            entries.insert(key, Filed { stamp, answer });
        }
    }

    /// The account's offer named by `offer`, if cached and current.
    pub(crate) fn offer(&self, account: &ObjectId, offer: &OfferRef) -> Lookup<Offer> {
        let key = ReadKey::Offer(account.clone(), offer.clone());
        match self.lookup(&key, account) {
            (Some(Answer::Offer(found)), _) => Lookup::Hit(found),
            (_, stamp) => Lookup::Miss(stamp),
        }
    }

    /// Files the primary's answer for the account's offer named by `offer`, read from
    /// the state `stamp` names.
    pub(crate) fn file_offer(
        &self,
        account: &ObjectId,
        offer: OfferRef,
        stamp: Option<Stamp>,
        found: Arc<Offer>,
    ) {
        let key = ReadKey::Offer(account.clone(), offer);
        self.file(key, stamp, Answer::Offer(found));
    }

    /// The page of the account's offers matching `filter`, if cached and current.
    pub(crate) fn page(
        &self,
        account: &ObjectId,
        filter: &OfferFilter,
        page: Page,
    ) -> Lookup<Paged<Offer>> {
        let key = ReadKey::Page(account.clone(), filter.clone(), page);
        match self.lookup(&key, account) {
            (Some(Answer::Page(found)), _) => Lookup::Hit(found),
            (_, stamp) => Lookup::Miss(stamp),
        }
    }

    /// Files the primary's answer for a page of the account's offers, read from the
    /// state `stamp` names.
    pub(crate) fn file_page(
        &self,
        account: &ObjectId,
        filter: OfferFilter,
        page: Page,
        stamp: Option<Stamp>,
        found: Arc<Paged<Offer>>,
    ) {
        let key = ReadKey::Page(account.clone(), filter, page);
        self.file(key, stamp, Answer::Page(found));
    }
}

#[cfg(test)]
mod tests;
