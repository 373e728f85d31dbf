//! Local fake TUNE and Everflow servers for tests, built from `INTEGRATIONS.md` §5 (SPEC
//! §10.4: no test reaches the internet). Each fake runs on its own thread and runtime on
//! `127.0.0.1:<free port>`, so sync and async tests can use it, and stops when dropped.
//!
//! ```no_run
//! use std::time::Duration;
//! use trackly_fake_platforms::{FakeTune, Mode, TuneOffer};
//!
//! let tune = FakeTune::start("network-token");
//! tune.set_offers(vec![TuneOffer::new(532, "Bingo").with("default_payout", "2.50000")]);
//! tune.queue(Mode::RateLimited { retry_after: Some(1) }, 2); // the next 2 requests get 429
//! tune.queue(Mode::Slow(Duration::from_secs(5)), 1);         // then one slow answer
//! // … point a client at tune.base_url() …
//! assert!(tune.requests().iter().all(|request| request.key_accepted));
//! ```
//!
//! - **Data:** [`TuneOffer`], [`TuneConversion`], [`EverflowOffer`] and
//!   [`EverflowConversion`] start from the documented samples; `with`/`stat`/`mobile`
//!   change any field, so a test can change a payout or a status between two syncs with
//!   `set_offers`/`set_conversions`. Lists are paged by the client's own page size.
//! - **Modes:** [`Mode`] misbehaviours are queued for a number of requests: slow, 5xx
//!   with an HTML body, 429 with or without `Retry-After`, truncated JSON, garbage, and
//!   the platform's own error answer. A wrong key gets the platform's rejection.
//! - **Assertions:** a request the real platform would refuse (wrong `Target`/`Method`,
//!   missing `limit`/`page`, a field of the other TUNE API, a bad report body) gets an
//!   error whose text starts with `fake TUNE:`/`fake Everflow:`. Every request is
//!   recorded ([`RecordedRequest`]) without the key's value.

mod everflow;
mod failure;
mod mode;
mod paging;
mod record;
mod serve;
mod server;
mod tune;

pub use everflow::{EverflowConversion, EverflowOffer, FakeEverflow};
pub use mode::Mode;
pub use record::RecordedRequest;
pub use tune::{FakeTune, RowShape, TuneConversion, TuneOffer};
