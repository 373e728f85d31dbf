//! Link requests (SPEC §9.1 shorten, §9.2 partner links, §9.3 bulk): the input as sent,
//! in Trackly SMS's camelCase, its rules declared with `validator`, and the valid request
//! built from it. Both endpoints read the same input; each applies its own rules, in the
//! order of its SPEC table.

use serde::Deserialize;
use validator::{Validate, ValidationError};

use super::phone::PhoneNumber;
use super::rules::{self, given, text_given};
use crate::code::OfferCode;
use crate::error::InputError;
use crate::id::ObjectId;
use crate::input::{failure, first_listed_error, MetadataInput, Sent, TextOrInteger};
use crate::offer::{Metadata, TrackingUrl, EXTERNAL_REF_MAX_CHARS};
use crate::slug::code_of_slug;

/// The longest `listId`, in characters.
pub const LIST_ID_MAX_CHARS: usize = 255;
/// The longest `messageId`, in characters.
pub const LINK_MESSAGE_ID_MAX_CHARS: usize = 255;
const LIST_ID_MAX: u64 = LIST_ID_MAX_CHARS as u64;
const MESSAGE_ID_MAX: u64 = LINK_MESSAGE_ID_MAX_CHARS as u64;
const EXTERNAL_ID_MAX: u64 = EXTERNAL_REF_MAX_CHARS as u64;

/// The rules of `POST /api/v2/links/shorten` (§9.1), in its table's order. An `offerId`
/// of the wrong type counts as sent, so it wins over `url` and is reported itself.
const SHORTEN_ORDER: [&str; 9] = [
    "invalid_url",
    "invalid_link_offer_id",
    "missing_url_or_offer",
    "invalid_list_id",
    "missing_list_identifier",
    "invalid_phone_number",
    "invalid_contact_phone",
    "invalid_link_message_id",
    "invalid_metadata",
];

/// The rules of `POST /api/v2/links` (§9.2): the offer by `offerId` or
/// `externalOfferId`, then the §9.1 rules of the other fields; `url` is not read.
const PARTNER_ORDER: [&str; 9] = [
    "invalid_link_offer_id",
    "invalid_external_offer_id",
    "missing_link_offer",
    "invalid_list_id",
    "missing_list_identifier",
    "invalid_phone_number",
    "invalid_contact_phone",
    "invalid_link_message_id",
    "invalid_metadata",
];

/// A link request as sent. Blank strings and `null` are "not sent"; `offerId`,
/// `externalOfferId`, `listId` and `messageId` may be whole numbers, read as their
/// decimal text. Unknown fields are ignored.
///
/// ```
/// use trackly_domain::link::{LinkDestination, LinkInput, NewLink};
///
/// let body = r#"{"url": "https://shop.example/sale", "phoneNumber": "+14155550123", "messageId": 42}"#;
/// let input: LinkInput = serde_json::from_str(body).unwrap();
/// let link = NewLink::shorten(input).unwrap();
/// assert!(matches!(link.destination, LinkDestination::Url(_)));
/// assert_eq!(link.message_id.as_deref(), Some("42"));
///
/// let error = NewLink::shorten(serde_json::from_str(r#"{"url": "https://a.example"}"#).unwrap());
/// assert_eq!(error.unwrap_err().code(), "missing_list_identifier");
/// ```
// Each schema rule repeats `skip_on_field_errors = false` (they must run beside the field
// rules for the SPEC's order to be kept), which clippy takes for a duplicated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Debug, Clone, Default, PartialEq, Validate, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[validate(
    schema(function = "url_unless_offer", skip_on_field_errors = false),
    schema(function = "url_or_offer", skip_on_field_errors = false),
    schema(function = "offer_or_external", skip_on_field_errors = false),
    schema(function = "list_or_phone", skip_on_field_errors = false)
)]
pub struct LinkInput {
    /// §9.1: where the link goes when no offer is named.
    pub url: Sent<String>,
    /// The offer's id, slug or code; wins over `url` and `externalOfferId`.
    #[validate(custom(function = "rules::offer_id"))]
    pub offer_id: Sent<TextOrInteger>,
    /// §9.2: the offer's `external_id`.
    #[validate(
        length(max = EXTERNAL_ID_MAX, code = "invalid_external_offer_id"),
        custom(function = "rules::external_offer_id")
    )]
    pub external_offer_id: Sent<TextOrInteger>,
    /// The contact list the message goes to; this or `phoneNumber` is required.
    #[validate(
        length(max = LIST_ID_MAX, code = "invalid_list_id"),
        custom(function = "rules::list_id")
    )]
    pub list_id: Sent<TextOrInteger>,
    /// E.164; this or `listId` is required.
    #[validate(custom(function = "rules::phone_number"))]
    pub phone_number: Sent<String>,
    /// E.164: the contact the message goes to.
    #[validate(custom(function = "rules::contact_phone"))]
    pub contact_phone: Sent<String>,
    /// The caller's message id.
    #[validate(
        length(max = MESSAGE_ID_MAX, code = "invalid_link_message_id"),
        custom(function = "rules::message_id")
    )]
    pub message_id: Sent<TextOrInteger>,
    /// Labels, with the offer metadata rules (SPEC §2).
    #[validate(custom(function = "crate::offer::rules::metadata"))]
    pub metadata: Sent<MetadataInput>,
}

/// `invalid_url`: a `url` that is not a destination, when no `offerId` wins over it.
fn url_unless_offer(input: &LinkInput) -> Result<(), ValidationError> {
    if given(&input.offer_id) || !text_given(&input.url) {
        return Ok(());
    }
    match &input.url {
        Sent::Value(text) if TrackingUrl::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_url")),
    }
}

/// `missing_url_or_offer` (§9.1).
fn url_or_offer(input: &LinkInput) -> Result<(), ValidationError> {
    if given(&input.offer_id) || text_given(&input.url) {
        Ok(())
    } else {
        Err(failure("missing_url_or_offer"))
    }
}

/// `missing_offer_id` (§9.2): neither `offerId` nor `externalOfferId`.
fn offer_or_external(input: &LinkInput) -> Result<(), ValidationError> {
    if given(&input.offer_id) || given(&input.external_offer_id) {
        Ok(())
    } else {
        Err(failure("missing_link_offer"))
    }
}

/// `missing_list_identifier`: neither `listId` nor `phoneNumber` was sent. (A phone
/// number that was sent but is not E.164 is `invalid_phone`, not missing.)
fn list_or_phone(input: &LinkInput) -> Result<(), ValidationError> {
    if given(&input.list_id) || text_given(&input.phone_number) {
        Ok(())
    } else {
        Err(failure("missing_list_identifier"))
    }
}

/// A valid link request.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLink {
    /// Where its clicks go.
    pub destination: LinkDestination,
    /// The contact list.
    pub list_id: Option<String>,
    /// The phone number the link was made for.
    pub phone_number: Option<PhoneNumber>,
    /// The contact the message goes to.
    pub contact_phone: Option<PhoneNumber>,
    /// The caller's message id.
    pub message_id: Option<String>,
    /// Labels.
    pub metadata: Metadata,
}

/// Where a new link sends its clicks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkDestination {
    /// URL mode: this URL, for no offer.
    Url(TrackingUrl),
    /// Offer mode: an active offer of the account.
    Offer(LinkOffer),
}

/// The offer a link request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOffer {
    /// How it is named.
    pub key: OfferKey,
    /// §9.2: only an offer with an `external_platform` will do.
    pub from_platform: bool,
}

/// How a link request names its offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferKey {
    /// By id.
    Id(ObjectId),
    /// By code: a bare code, or the code at the end of a slug.
    Code(OfferCode),
    /// By `external_id` (§9.2's `externalOfferId`).
    External(String),
    /// A text that is no id, slug or code: it names no offer (`offer_not_found`).
    Nothing,
}

impl OfferKey {
    /// Reads an `offerId`: an id, a slug or a bare 6-character code.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if let Some(id) = ObjectId::parse(text) {
            Self::Id(id)
        } else if let Some(code) = OfferCode::parse(text).or_else(|| code_of_slug(text)) {
            Self::Code(code)
        } else {
            Self::Nothing
        }
    }
}

impl NewLink {
    /// `POST /api/v2/links/shorten` (§9.1): URL mode, or offer mode when `offerId` is
    /// sent (it wins over `url`).
    pub fn shorten(input: LinkInput) -> Result<Self, InputError> {
        check(&input, &SHORTEN_ORDER)?;
        let destination = match text_of(&input.offer_id) {
            Some(offer) => LinkDestination::Offer(LinkOffer {
                key: OfferKey::parse(&offer),
                from_platform: false,
            }),
            None => LinkDestination::Url(
                input
                    .url
                    .value()
                    .and_then(|url| TrackingUrl::parse(url))
                    .ok_or(InputError::InvalidUrl)?,
            ),
        };
        Self::with_destination(destination, input)
    }

    /// `POST /api/v2/links` (§9.2): an offer with an external platform, by `offerId` or,
    /// without one, by `externalOfferId`.
    pub fn partner(input: LinkInput) -> Result<Self, InputError> {
        check(&input, &PARTNER_ORDER)?;
        let key = match (text_of(&input.offer_id), text_of(&input.external_offer_id)) {
            (Some(offer), _) => OfferKey::parse(&offer),
            (None, Some(external)) => OfferKey::External(external),
            (None, None) => return Err(InputError::MissingLinkOffer),
        };
        let destination = LinkDestination::Offer(LinkOffer {
            key,
            from_platform: true,
        });
        Self::with_destination(destination, input)
    }

    fn with_destination(
        destination: LinkDestination,
        input: LinkInput,
    ) -> Result<Self, InputError> {
        let phone = |sent: &Sent<String>| {
            sent.value()
                .filter(|text| !text.trim().is_empty())
                .and_then(|text| PhoneNumber::parse(text))
        };
        Ok(Self {
            destination,
            list_id: text_of(&input.list_id),
            phone_number: phone(&input.phone_number),
            contact_phone: phone(&input.contact_phone),
            message_id: text_of(&input.message_id),
            metadata: match input.metadata {
                Sent::Value(entries) => Metadata::from_input(entries)?,
                _ => Metadata::default(),
            },
        })
    }
}

/// Runs the rules `order` lists; the first broken in that order is the error.
fn check(input: &LinkInput, order: &[&str]) -> Result<(), InputError> {
    match input.validate() {
        Ok(()) => Ok(()),
        Err(errors) => first_listed_error(&errors, order).map_or(Ok(()), Err),
    }
}

/// A text field's value, when one was sent (blank is not sent).
fn text_of(sent: &Sent<TextOrInteger>) -> Option<String> {
    sent.value()
        .filter(|text| !text.0.trim().is_empty())
        .map(|text| text.0.clone())
}
