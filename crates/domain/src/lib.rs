//! Trackly's domain: offers, ids, codes, slugs and money, with every validation rule of
//! the SPEC. No I/O and no clock or randomness of its own: callers pass `now` and random
//! bytes in, so every rule can be tested directly.

#[macro_use]
mod macros;

pub mod api_key;
pub mod click;
pub mod code;
pub mod destination;
pub mod error;
pub mod id;
pub mod money;
pub mod offer;
pub mod query;
pub mod revenue;
pub mod slug;
pub mod stats;
pub mod text;

pub use code::OfferCode;
pub use error::InputError;
pub use id::ObjectId;
pub use money::Amount;
pub use offer::{NewOffer, Offer, OfferPatch};
