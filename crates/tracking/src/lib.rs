//! Trackly's redirect engine (SPEC §5, §9.4, §12): the offer and link caches, the bot
//! classifier, and the click pipeline — a crash-safe spool on local disk that every
//! click is appended to before its redirect is answered, and a writer thread that copies
//! the spooled clicks into PostgreSQL. The HTTP edge only translates requests into
//! `Visit`s and `Redirect`s into responses.

mod backoff;
mod batch_store;
mod bots;
mod cached_route;
mod error;
mod key_memo;
mod link_cache;
mod offer_cache;
mod pipeline;
mod progress;
mod route_loader;
mod sink;
mod spool;
mod stats;
mod tracker;
mod warn_every;
mod writer;

pub use bots::{BotDetector, BotNetworksError};
pub use error::TrackingError;
pub use pipeline::{ClickPipeline, SpoolConfig, SEGMENT_BYTES};
pub use sink::ClickSink;
pub use stats::{ClickStats, Counter};
pub use tracker::{Followed, Redirect, Tracker, Visit};
pub use writer::{BATCH_CLICKS, BATCH_INTERVAL};
