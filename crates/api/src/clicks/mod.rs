//! Tracking-link clicks: bot classification, the redirect's offer cache and the buffered
//! background writer that keeps the database off the redirect's path.

mod bots;
mod redirect_cache;
mod writer;

pub use bots::{BotDetector, BotNetworksError};
pub use redirect_cache::RedirectCache;
pub use writer::{ClickSink, ClickWriter, ClickWriterStats};
