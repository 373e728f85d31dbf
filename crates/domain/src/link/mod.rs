//! Links (SPEC §9): one short link per SMS message, for an offer or a plain URL, whose
//! clicks say which message to which contact was opened, so revenue can be credited to
//! that message's first click.

mod bulk;
mod first_click;
mod id;
mod input;
mod message;
mod model;
mod phone;
mod rules;

pub use bulk::LinkBulkOutcome;
pub use first_click::{message_key, ClickLink, FirstClickKey};
pub use id::{LinkId, LINK_ID_ALPHABET, LINK_ID_LENGTH, RESERVED_LINK_IDS};
pub use input::{
    LinkDestination, LinkInput, LinkOffer, NewLink, OfferKey, LINK_MESSAGE_ID_MAX_CHARS,
    LIST_ID_MAX_CHARS,
};
pub use message::MessageTotals;
pub use model::{Link, LinkFilter, LinkRefused, LinkRoute, LinkStats, RouteTarget};
pub use phone::{
    redact_phone_numbers, PhoneNumber, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, REDACTED_PHONE,
};

/// The most links one bulk request may create (SPEC §9.3).
pub const MAX_BULK_LINKS: usize = 10_000;
