//! How patient a client is: timeouts, retries, rate-limit waits, throttle and page sizes.
//! The defaults follow SPEC §10.4 and INTEGRATIONS.md §1.2/§2.2; tests shorten them.

use std::time::Duration;

/// Tuning shared by both clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// How long one request may take, from connecting to the last byte (30 s). A request
    /// that runs out of time is not retried: the platform is reported unreachable.
    pub timeout: Duration,
    /// Tries per request, the first included, for connection failures, 5xx answers and
    /// rate limits (3).
    pub attempts: u32,
    /// The pause before the first retry after a connection failure or a 5xx answer,
    /// doubled for each later one and never above 30 s (1 s).
    pub backoff: Duration,
    /// The pause after a rate limit that names no `Retry-After` (30 s, Everflow's
    /// quota window).
    pub rate_limit_wait: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the call at once as
    /// [`RateLimited`](crate::PlatformError::RateLimited) (120 s).
    pub max_retry_after: Duration,
    /// The shortest gap between two requests of one client, a client-side throttle
    /// (50 ms: 20 requests a second, the lowest quota Everflow documents).
    pub min_request_interval: Duration,
    /// Offers asked for per page (100).
    pub offer_page_size: u32,
    /// Conversions asked for per page (500).
    pub conversion_page_size: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            attempts: 3,
            backoff: Duration::from_secs(1),
            rate_limit_wait: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            min_request_interval: Duration::from_millis(50),
            offer_page_size: 100,
            conversion_page_size: 500,
        }
    }
}
