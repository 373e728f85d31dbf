//! Clients for the affiliate platforms TUNE (HasOffers API v3) and Everflow (Network API
//! v1), and the mapping of their offers and conversions to ours (SPEC §10,
//! `INTEGRATIONS.md`), and the sync use cases built on them: [`connect`] and [`change`]
//! check a key with the platform before the `app` layer stores it; [`Syncer`] runs offer
//! and conversion syncs on demand, on the schedule and from the CLI, writing through the
//! `app` layer. No database code and no server: the store is the `app` layer's.
//!
//! # What a client does
//! - **Paging:** every page is read. TUNE: `limit`/`page`, until `page >= pageCount`.
//!   Everflow: `page`/`page_size` in the query, until `page * page_size >= total_count`
//!   or a short page. A row served twice by a list that shifts while it is read is kept
//!   once.
//! - **Patience** ([`ClientOptions`]): 30 s per request; connection failures and 5xx
//!   answers are tried 3 times with a doubling backoff; a rate limit (429, or a TUNE
//!   error envelope that reports one) waits `Retry-After`, or 30 s without it, and a
//!   `Retry-After` above 120 s fails at once. A request that times out is not retried.
//!   A 50 ms gap between requests keeps under Everflow's quota. Redirects are not
//!   followed, so the key never travels to another host.
//! - **Errors** ([`PlatformError`]): one sentence each. The API key never appears in an
//!   error or a log line: transport errors lose their URL, request URLs are never
//!   logged, and platform text is scrubbed of the key.
//! - **Amounts** are read from their JSON text (never a float), rounded half-even to 4
//!   fractional digits; a negative amount skips its offer or conversion.
//! - **Skips:** what cannot be mapped is returned beside what can ([`OfferSweep`],
//!   [`ConversionSweep`]), each with a reason. An offer with no tracking link is
//!   skipped; the advertiser's landing URL is never used instead. Name and URL limits,
//!   and which statuses to import, are the caller's to apply.
//!
//! # Choices where the platforms' documents are silent
//! - **TUNE's two APIs:** a connection with `affiliate_id` uses the *network* API
//!   (`NetworkToken`, `Offer`/`Report`, `generateTrackingLink` with that `affiliate_id`);
//!   without one, the *affiliate* API (`api_key`, `Affiliate_Offer`/`Affiliate_Report`,
//!   links for the key's owner).
//! - **TUNE endpoint:** `base_url` is the `…/Apiv3/json` URL; a URL with no path gets
//!   `/Apiv3/json`; without `base_url`, `https://{network_id}.api.hasoffers.com/Apiv3/json`.
//! - **TUNE errors** arrive as HTTP 200 with `status` ≠ 1; they are refusals
//!   ([`PlatformError::Refused`]), except in `check_key`, where the error envelope is a
//!   rejected key (the key is all that call depends on); an HTTP error there stays what
//!   it is. An error text containing "rate limit", "limit exceeded" or "too many" is a
//!   rate limit and is retried.
//! - **TUNE paging** ignores `current`; a `data` that is itself a row set (or `[]`) is a
//!   single page.
//! - **TUNE `affiliate_uniqueN`** travels as the link parameter `aff_uniqueN` and comes
//!   back in `ConversionsMobile.affiliate_uniqueN`.
//! - **TUNE conversions** ask only for the fields the mapping reads, with
//!   `Stat.conversion_status` and `Stat.approved_payout` on the affiliate API, and
//!   `Stat.tune_event_id` on both (falling back to `Stat.id`), so switching a connection
//!   between the APIs keeps its `txn_id`s. The window is `Stat.datetime BETWEEN from
//!   AND to`, written in the connection's `timezone`; a datetime in the hour a clock
//!   goes back reads as the earlier instant, and one in a skipped hour is reported.
//! - **TUNE offer status:** `is_expired` set archives the offer whatever its `status`.
//! - **Everflow** needs a numeric `affiliate_id` for links; without it `offers()` fails
//!   before any request. The link is read from `url`, then `tracking_url`. A 4xx other
//!   than 401/403 on a link skips that offer; 401/403 stop the sweep. Payout entries are
//!   read from `relationship.payout_revenue.entries` and from a top-level
//!   `payout_revenue`, the `is_default` one counting.
//! - **Everflow conversions** are asked for with `show_events: false`; a row marked
//!   `is_event` is still returned with the flag set, for the caller to skip.
//! - **Everflow errors:** 401 and 403 are a rejected key; the body's `error` key is read
//!   whatever its case, and a non-JSON body that is not HTML is kept as the message. A
//!   list answer must hold its `offers`/`conversions` list (`null` counts as empty), so a
//!   `base_url` that is not Everflow's fails the key check as an unreadable answer.

mod client;
mod conversion;
mod error;
mod everflow;
mod http;
mod linking;
mod offer;
mod options;
mod runs;
mod settings;
mod tune;
mod wire;

pub use chrono_tz::Tz;

pub use client::PlatformClient;
pub use conversion::{ConversionStatus, ConversionSweep, PlatformConversion, SkippedConversion};
pub use error::PlatformError;
pub use everflow::EverflowClient;
pub use offer::{OfferSweep, PlatformOffer, SkippedOffer};
pub use options::ClientOptions;
pub use runs::{change, connect, Schedule, Syncer};
pub use settings::{ApiKey, ConnectionSettings, MessageIdField};
pub use tune::TuneClient;
