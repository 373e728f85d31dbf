//! The field rules of the SPEC §6.1 table, as `validator` custom functions, each with
//! the SPEC's code.

use validator::ValidationError;

use super::{parse_timestamp, AttributionType, EventType};
use crate::input::{failure, AmountText, Sent, TextOrInteger};
use crate::money::Amount;
use crate::text::is_storable;

/// An amount, or not sent.
pub(super) fn revenue(revenue: &Sent<AmountText>) -> Result<(), ValidationError> {
    match revenue {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(amount) if Amount::from_text(amount).is_some() => Ok(()),
        _ => Err(failure("invalid_revenue")),
    }
}

/// A string, or not sent.
pub(super) fn click_id(click_id: &Sent<String>) -> Result<(), ValidationError> {
    match click_id {
        Sent::WrongType => Err(failure("invalid_click_id")),
        Sent::Value(text) if !is_storable(text) => Err(failure("invalid_click_id")),
        _ => Ok(()),
    }
}

/// A string or a whole number, or not sent.
pub(super) fn offer_id(offer_id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(offer_id, "invalid_offer_id")
}

/// A string or a whole number (its length is a rule of its own), or not sent.
pub(super) fn message_id(message_id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(message_id, "invalid_message_id")
}

/// A string or a whole number (its length is a rule of its own), or not sent.
pub(super) fn txn_id(txn_id: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    text(txn_id, "invalid_txn_id")
}

/// `sale`, `click` or `send`, or not sent.
pub(super) fn attribution_type(value: &Sent<String>) -> Result<(), ValidationError> {
    enumeration(
        value,
        |text| AttributionType::parse(text).is_some(),
        "invalid_attribution_type",
    )
}

/// One of the event types, or not sent.
pub(super) fn event_type(value: &Sent<String>) -> Result<(), ValidationError> {
    enumeration(
        value,
        |text| EventType::parse(text).is_some(),
        "invalid_event_type",
    )
}

/// A time of SPEC §1.4, or not sent. (How far ahead it may be depends on when the record
/// arrives; `RevenueInput::new` checks that.)
pub(super) fn timestamp(value: &Sent<String>) -> Result<(), ValidationError> {
    enumeration(
        value,
        |text| parse_timestamp(text).is_some(),
        "invalid_timestamp",
    )
}

fn text(value: &Sent<TextOrInteger>, code: &'static str) -> Result<(), ValidationError> {
    match value {
        Sent::WrongType => Err(failure(code)),
        Sent::Value(text) if !is_storable(&text.0) => Err(failure(code)),
        _ => Ok(()),
    }
}

fn enumeration(
    value: &Sent<String>,
    known: impl Fn(&str) -> bool,
    code: &'static str,
) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if known(text) => Ok(()),
        Sent::Value(_) | Sent::WrongType => Err(failure(code)),
    }
}
