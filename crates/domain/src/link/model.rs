//! Links as stored and read (SPEC §9.1, §9.5), the filters of the link list, and what a
//! redirect needs to know about a link (§9.4).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::id::LinkId;
use super::input::{LINK_MESSAGE_ID_MAX_CHARS, LIST_ID_MAX_CHARS};
use super::phone::PhoneNumber;
use crate::code::OfferCode;
use crate::error::InputError;
use crate::id::ObjectId;
use crate::offer::Metadata;
use crate::query::ClickFilter;
use crate::text::is_storable;

/// A stored link.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Its id, the short link's path.
    pub id: LinkId,
    /// The account owning it.
    pub account_id: ObjectId,
    /// Offer mode: the offer; URL mode: `None`.
    pub offer_id: Option<ObjectId>,
    /// Where clicks go: the offer's `tracking_url` (macros unreplaced) or the link's URL.
    pub destination_url: String,
    /// The offer's bot filter; `false` in URL mode.
    pub filter_bots: bool,
    /// The contact list.
    pub list_id: Option<String>,
    /// The phone number it was made for.
    pub phone_number: Option<PhoneNumber>,
    /// The contact the message went to.
    pub contact_phone: Option<PhoneNumber>,
    /// The caller's message id.
    pub message_id: Option<String>,
    /// Labels.
    pub metadata: Metadata,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// A link's counts (SPEC §9.5), all time. `clicks` counts like the offer's stats (bots
/// left out when the offer filters them); `first_clicks` are people's first clicks per
/// message; conversions and revenue are the events credited to the link's clicks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Counted clicks.
    pub clicks: i64,
    /// First clicks (never bots).
    pub first_clicks: i64,
    /// Bot clicks, always.
    pub bot_clicks: i64,
    /// Credited events that are not refunds or chargebacks.
    pub conversions: i64,
    /// Credited revenue minus refunds and chargebacks, plus the payout per counted click
    /// for a cpc offer.
    pub revenue: Decimal,
}

/// Which links a list shows (SPEC §9.5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkFilter {
    /// Only links of this offer (its id, slug or code).
    pub offer: Option<String>,
    /// Only links with this message id.
    pub message_id: Option<String>,
    /// Only links with this list id.
    pub list_id: Option<String>,
    /// First UTC day of `created_at`.
    pub from: Option<NaiveDate>,
    /// Last UTC day of `created_at`.
    pub to: Option<NaiveDate>,
}

impl LinkFilter {
    /// Reads `offer_id`, `message_id`, `list_id` (each at most 255 characters, without
    /// NUL), `from` and `to`; empty values are not filters.
    pub fn parse<'a>(param: impl Fn(&str) -> Option<&'a str>) -> Result<Self, InputError> {
        let dates = ClickFilter::parse(|name| match name {
            "from" | "to" => param(name),
            _ => None,
        })?;
        let text = |name: &'static str, max: usize| {
            param(name)
                .filter(|value| !value.is_empty())
                .map(|value| {
                    if value.chars().count() > max || !is_storable(value) {
                        Err(InputError::InvalidQuery {
                            field: name,
                            reason: "must be at most 255 characters, without NUL characters",
                        })
                    } else {
                        Ok(value.to_owned())
                    }
                })
                .transpose()
        };
        Ok(Self {
            offer: text("offer_id", LIST_ID_MAX_CHARS)?,
            message_id: text("message_id", LINK_MESSAGE_ID_MAX_CHARS)?,
            list_id: text("list_id", LIST_ID_MAX_CHARS)?,
            from: dates.from,
            to: dates.to,
        })
    }
}

/// What following a link needs (§9.4): links never change, so this is cached for as long
/// as memory allows; the offer's own state is looked up by its code on every click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRoute {
    /// The link.
    pub link_id: LinkId,
    /// Its account.
    pub account_id: ObjectId,
    /// Where it goes.
    pub target: RouteTarget,
    /// The caller's message id, for the `{message_id}` macro and the click.
    pub message_id: Option<String>,
    /// The contact list, for the click.
    pub list_id: Option<String>,
    /// The contact, for the click.
    pub contact_phone: Option<PhoneNumber>,
}

/// A link's destination, as a redirect reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    /// URL mode.
    Url(String),
    /// Offer mode: the offer's code, to look its state up.
    Offer(OfferCode),
}

/// Why a valid link request made no link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefused {
    /// No active offer of the account is named so (or, for §9.2, none with an external
    /// platform): `404 offer_not_found`.
    OfferNotFound,
    /// Several active platform offers have the `externalOfferId`: `409 ambiguous_offer`.
    AmbiguousOffer,
}

impl LinkRefused {
    /// The SPEC's code.
    pub fn code(self) -> &'static str {
        match self {
            Self::OfferNotFound => "offer_not_found",
            Self::AmbiguousOffer => "ambiguous_offer",
        }
    }

    /// A sentence for people.
    pub fn message(self) -> &'static str {
        match self {
            Self::OfferNotFound => "No active offer of this account matches the offer named.",
            Self::AmbiguousOffer => {
                "Several active offers have this externalOfferId; name the offer by offerId."
            }
        }
    }
}
