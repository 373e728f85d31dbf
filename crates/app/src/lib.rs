//! Trackly's use cases, one function each: `offers::create`, `revenue::record`,
//! `stats::offer` and the rest. The API, the dashboard, platform sync and the CLI all call
//! these, never the store. They take and return domain types (or an `AppError`), know
//! nothing of HTTP, and own the one bridge from async callers to the synchronous store.

pub mod accounts;
pub mod clicks;
pub mod dashboard;
mod error;
pub mod integrations;
pub mod keys;
pub mod links;
pub mod maintenance;
mod offer_reads;
pub mod offers;
mod once;
mod replica;
pub mod revenue;
pub mod sessions;
pub mod stats;
pub mod sync_runs;

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use trackly_domain::query::{Page, Pagination};
use trackly_domain::{ObjectId, OfferCode};
use trackly_store::idempotency::{run_once, Once as Ran, Recorded};
use trackly_store::{build_pool, PgConnection, PgPool, PooledPg, StoreError};

use offer_reads::OfferWatch;
use replica::Replica;

pub use error::AppError;
pub use once::{Answer, Answered, Once};
pub use replica::{ReadReplica, ReplicaState};
pub use trackly_store::secrets::SecretKey;

/// One page of a list and the pagination block that goes with it (SPEC §1.6).
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    /// The items of the page.
    pub items: Vec<T>,
    /// The page, its size and the totals.
    pub pagination: Pagination,
}

impl<T> Paged<T> {
    fn new(items: Vec<T>, page: Page, total: u64) -> Self {
        Self {
            items,
            pagination: page.summary(total),
        }
    }
}

/// Where the app reads the time; tests move it.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The application: the database (and its read replica, when there is one) and the
/// clock every use case runs with. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pool: PgPool,
    replica: Option<Replica>,
    clock: Arc<dyn Clock>,
    offer_watch: Arc<OfferWatch>,
    secret_key: Option<SecretKey>,
}

impl App {
    /// The app on `pool`, with the system clock.
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            replica: None,
            clock: Arc::new(SystemClock),
            offer_watch: Arc::new(OfferWatch::without_cache()),
            secret_key: None,
        }
    }

    /// The app on a new pool of at most `pool_size` connections to `database_url`. It
    /// does not connect yet: a database that is down makes use cases answer
    /// `Unavailable`, not the start fail.
    pub fn connect(database_url: &str, pool_size: u32) -> Self {
        Self::new(build_pool(database_url, pool_size))
    }

    /// `connect`, and a pool of as many connections to the streaming replica `replica`
    /// for the reads that tolerate lag (SPEC §14). The replica serves them while it is
    /// within its lag bound, which a thread of the app measures until the app is dropped;
    /// otherwise they go to the primary. It waits for neither server, and a replica that
    /// is down costs no request.
    pub fn connect_with_replica(database_url: &str, pool_size: u32, replica: &ReadReplica) -> Self {
        let mut app = Self::connect(database_url, pool_size);
        app.replica = Some(Replica::start(database_url, replica, pool_size));
        app
    }

    /// The same app caching what it reads of offers, up to `capacity_bytes` (SPEC §8.1,
    /// DECISIONS.md "Offer cache"): single offers and pages of lists, until an offer of
    /// their account changes. A session of its own on `database_url` reads the log of
    /// offer changes every few milliseconds, whoever commits them; while that session is
    /// not known to work, offers are read from the database. Zero bytes caches
    /// nothing. Listeners added before this call keep listening.
    pub fn with_offer_cache(mut self, database_url: &str, capacity_bytes: u64) -> Self {
        if capacity_bytes > 0 {
            let watch = Arc::new(OfferWatch::with_cache(capacity_bytes, &self.offer_watch));
            offer_reads::spawn_reader(database_url, Arc::downgrade(&watch));
            self.offer_watch = watch;
        }
        self
    }

    /// The same app reading the time from `clock`.
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The same app sealing platform keys with `key` (`TRACKLY_SECRET_KEY`, SPEC §10.1).
    /// Without one, connections to platforms can be neither stored nor used.
    pub fn with_secret_key(mut self, key: SecretKey) -> Self {
        self.secret_key = Some(key);
        self
    }

    fn secret_key(&self) -> Result<&SecretKey, AppError> {
        self.secret_key.as_ref().ok_or(AppError::SecretKeyMissing)
    }

    /// The current time, from the app's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The most database connections the app's pools hold, the replica's included.
    pub fn pool_size(&self) -> u32 {
        let replica = self
            .replica
            .as_ref()
            .map_or(0, |replica| replica.pool().max_size());
        self.pool.max_size() + replica
    }

    /// The read replica's state; `None` without one.
    fn replica_state(&self) -> Option<ReplicaState> {
        self.replica.as_ref().map(Replica::state)
    }

    /// Calls `listener` with the code of every offer this app creates, changes or
    /// archives, once the change is committed, and, with an offer cache, of every offer
    /// another writer changes, once it is read from the log: caches of offers (the
    /// redirect's) forget them. A listener must not hold the app, which holds its
    /// listeners: the two would keep each other, the pools and the threads alive.
    pub fn on_offer_change(&self, listener: impl Fn(&OfferCode) + Send + Sync + 'static) {
        self.offer_watch.listen(Box::new(listener));
    }

    /// This app committed a change to the account's offer `code`.
    fn offer_changed(&self, account: &ObjectId, code: &OfferCode) {
        self.offer_watch.changed(account, code);
    }

    /// The bridge from async callers to the synchronous store: runs `work` with a pooled
    /// connection on a blocking thread. No connection within the pool's checkout timeout,
    /// counted from this call (time queued for a thread included), is `Unavailable`, so a
    /// dead database fails requests fast instead of queueing them (SPEC §8.2).
    async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let called_at = Instant::now();
        tokio::task::spawn_blocking(move || checkout_within(&pool, called_at)?.run(work))
            .await
            .map_err(|error| AppError::Internal(format!("a database task failed: {error}")))?
    }

    /// `run` for a read that tolerates lag (SPEC §14: lists, stats, clicks, links, runs):
    /// on the read replica while it is within its lag bound, else on the primary. What
    /// the replica cannot answer is asked of the primary once: a lost connection (the
    /// replica is then left alone until its monitor reaches it again), a miss (the row
    /// may be a write it has not replayed yet), a failed query. So `work` may run twice,
    /// and must only read.
    async fn run_read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: Fn(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(replica) = self.replica.clone().filter(Replica::is_fresh) else {
            return self.run(work).await;
        };
        let primary = self.pool.clone();
        let called_at = Instant::now();
        tokio::task::spawn_blocking(move || {
            let answer = checkout_within(replica.pool(), called_at)
                .map_err(AppError::from)
                .and_then(|mut conn| conn.run(&work));
            match &answer {
                Err(AppError::Unavailable(_)) => replica.lost(),
                Err(AppError::Internal(cause)) => replica.read_failed(cause),
                Err(AppError::NotFound) => {}
                _ => return answer,
            }
            checkout_within(&primary, Instant::now())?.run(work)
        })
        .await
        .map_err(|error| AppError::Internal(format!("a database task failed: {error}")))?
    }

    /// A pooled connection of its own, for work that must keep one session (a sync's
    /// advisory lock), within the pool's checkout timeout.
    async fn checkout(&self) -> Result<PooledPg, AppError> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || pool.get().map_err(StoreError::from))
            .await
            .map_err(|error| AppError::Internal(format!("a database task failed: {error}")))?
            .map_err(AppError::from)
    }

    /// `run` for callers on threads that may block (the CLI, the click writer).
    fn run_blocking<T>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.pool.get().map_err(StoreError::from)?;
        conn.run(work)
    }

    /// Runs `work` and answers with `answer` of its result, once per idempotency key
    /// (`once`): the key's claim, the work and the answer's record commit together, and a
    /// repeated request gets the recorded answer without running the work. Returns the
    /// result too when the work ran now, for what must follow its commit.
    async fn answer_once<T, W, A>(
        &self,
        account: &ObjectId,
        once: Option<Once>,
        work: W,
        answer: A,
    ) -> Result<(Answered, Option<T>), AppError>
    where
        W: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
        A: FnOnce(&T) -> Answer + Send + 'static,
        T: Send + 'static,
    {
        let Some(once) = once else {
            let result = self.run(work).await?;
            let answered = Answered {
                answer: answer(&result),
                replayed: false,
            };
            return Ok((answered, Some(result)));
        };
        let account = account.clone();
        let now = self.now();
        self.run(move |conn| {
            let mut done = None;
            let ran = run_once(
                conn,
                &account,
                once.key(),
                once.request_digest(),
                now,
                |conn| {
                    let result = work(conn)?;
                    let Answer { status, body } = answer(&result);
                    done = Some(result);
                    Ok::<_, AppError>(Recorded { status, body })
                },
            )?;
            let answered = |recorded: Recorded, replayed| Answered {
                answer: Answer {
                    status: recorded.status,
                    body: recorded.body,
                },
                replayed,
            };
            match ran {
                Ran::Done(recorded) => Ok((answered(recorded, false), done)),
                Ran::Replayed(recorded) => Ok((answered(recorded, true), None)),
                Ran::Conflict => Err(AppError::IdempotencyConflict),
            }
        })
        .await
    }
}

/// A connection from `pool` within its checkout timeout, counted from `called_at`.
fn checkout_within(pool: &PgPool, called_at: Instant) -> Result<PooledPg, StoreError> {
    let budget = pool
        .connection_timeout()
        .saturating_sub(called_at.elapsed());
    Ok(pool.get_timeout(budget)?)
}
