//! Trackly's domain: offers, ids, codes, slugs, money, clicks and revenue, with every
//! validation rule of the SPEC. No I/O and no clock or randomness of its own: callers pass
//! `now` and random bytes in, so every rule can be tested directly.
//!
//! Other Rust services reuse it to validate exactly as Trackly's API does. A request is
//! read into an input struct (`offer::OfferInput`, `offer::OfferPatchInput`,
//! `revenue::RevenueFields`) whose fields keep what the client sent (`input::Sent`); its
//! rules are declared with `validator`, and converting it into the valid type reports
//! the first rule broken in the SPEC's check order, with the SPEC's code:
//!
//! ```
//! use trackly_domain::offer::OfferInput;
//! use trackly_domain::NewOffer;
//!
//! // Read leniently from JSON, as the API reads a body: the wrong type is kept for its rule.
//! let body = r#"{"name": "Summer Promo", "tracking_url": "https://adv.example/t?c={click_id}", "payout": "2.50"}"#;
//! let input: OfferInput = serde_json::from_str(body).unwrap();
//! let offer = NewOffer::try_from(input).unwrap();
//! assert_eq!(offer.payout.value().to_string(), "2.5");
//!
//! let refused: OfferInput = serde_json::from_str(r#"{"name": 42, "tracking_url": ""}"#).unwrap();
//! let error = NewOffer::try_from(refused).unwrap_err();
//! // Check 2 of SPEC §3.1 comes before check 3.
//! assert_eq!((error.code(), error.field()), ("missing_tracking_url", Some("tracking_url")));
//! assert_eq!(error.to_string(), "tracking_url is required.");
//! ```
//!
//! `examples/validate_offer.rs` does the same for lines of JSON on standard input.

#[macro_use]
mod macros;

pub mod account;
pub mod api_key;
pub mod click;
pub mod code;
pub mod destination;
pub mod error;
pub mod id;
pub mod input;
pub mod integration;
pub mod link;
pub mod money;
pub mod offer;
pub mod query;
pub mod revenue;
pub mod session;
pub mod slug;
pub mod stats;
pub mod text;
pub mod time;

pub use code::OfferCode;
pub use error::InputError;
pub use id::ObjectId;
pub use money::Amount;
pub use offer::{NewOffer, Offer, OfferPatch};
