//! Revenue events (SPEC §6): the record a client or postback sends, checked in the order
//! of the §6.1 table, and the answers the store can give about it.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use crate::error::InputError;
use crate::money::Amount;
use crate::text::is_storable;

/// How far in the future an event's timestamp may be.
const MAX_FUTURE: Duration = Duration::minutes(5);
/// The longest `message_id`.
pub const MESSAGE_ID_MAX_CHARS: usize = 64;
/// The longest `txn_id`.
pub const TXN_ID_MAX_CHARS: usize = 255;

wire_enum! {
    /// What the event is. Refunds and chargebacks subtract from revenue (SPEC §7).
    EventType { /// A lead.
    Lead = "lead", /// A sale (the default).
    Sale = "sale", /// A recurring charge.
    Rebill = "rebill", /// Money returned: subtracted.
    Refund = "refund", /// Money clawed back: subtracted.
    Chargeback = "chargeback", /// An app install.
    Install = "install", /// A sign-up.
    Signup = "signup" }
}

impl EventType {
    /// True for events that take money back (refund, chargeback).
    pub fn is_reversal(self) -> bool {
        matches!(self, Self::Refund | Self::Chargeback)
    }
}

wire_enum! {
    /// What the revenue is attributed to (Trackly SMS compatibility).
    AttributionType { /// A sale (the default).
    Sale = "sale", /// A click.
    Click = "click", /// An SMS send.
    Send = "send" }
}

/// A valid revenue record, not yet attributed.
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueInput {
    /// The amount; `None` takes the offer's payout.
    pub revenue: Option<Amount>,
    /// The click it converts, as sent.
    pub click_id: Option<String>,
    /// The offer's id, slug or external id, as sent.
    pub offer: Option<String>,
    /// The SMS message id, stored as given.
    pub message_id: Option<String>,
    /// What it is attributed to.
    pub attribution_type: AttributionType,
    /// What kind of event.
    pub event_type: EventType,
    /// The client's transaction id, unique per account.
    pub txn_id: Option<String>,
    /// When it happened (default: now).
    pub occurred_at: DateTime<Utc>,
}

impl RevenueInput {
    /// Checks a record in the order of the SPEC §6.1 table. `null` means "not sent".
    /// `offer_id`, `message_id` and `txn_id` also accept whole numbers (platform ids are
    /// often numeric), read as their decimal text.
    pub fn from_json(body: &Map<String, Value>, now: DateTime<Utc>) -> Result<Self, InputError> {
        let field = |name: &str| body.get(name).filter(|value| !value.is_null());
        let revenue = field("revenue")
            .map(|value| Amount::from_json(value).ok_or(InputError::InvalidRevenue))
            .transpose()?;
        let click_id = match field("click_id") {
            None => None,
            Some(Value::String(text)) if is_storable(text) => {
                Some(text.clone()).filter(|text| !text.is_empty())
            }
            Some(_) => return Err(InputError::InvalidClickId),
        };
        let offer = field("offer_id")
            .map(|value| text_or_integer(value).ok_or(InputError::InvalidOfferId))
            .transpose()?
            .filter(|text| !text.trim().is_empty());
        if offer.is_none() && click_id.is_none() {
            return Err(InputError::MissingOfferId);
        }
        let message_id = bounded_text(
            field("message_id"),
            MESSAGE_ID_MAX_CHARS,
            InputError::InvalidMessageId,
        )?;
        let attribution_type = field("attribution_type")
            .map(|value| {
                value
                    .as_str()
                    .and_then(AttributionType::parse)
                    .ok_or(InputError::InvalidAttributionType)
            })
            .transpose()?
            .unwrap_or(AttributionType::Sale);
        let event_type = field("event_type")
            .map(|value| {
                value
                    .as_str()
                    .and_then(EventType::parse)
                    .ok_or(InputError::InvalidEventType)
            })
            .transpose()?
            .unwrap_or(EventType::Sale);
        let txn_id = bounded_text(field("txn_id"), TXN_ID_MAX_CHARS, InputError::InvalidTxnId)?;
        let occurred_at = match field("timestamp") {
            None => now,
            Some(value) => value
                .as_str()
                .and_then(parse_timestamp)
                .filter(|time| *time <= now + MAX_FUTURE)
                .ok_or(InputError::InvalidTimestamp)?,
        };
        Ok(Self {
            revenue,
            click_id,
            offer,
            message_id,
            attribution_type,
            event_type,
            txn_id,
            occurred_at,
        })
    }
}

/// A recorded revenue event, as listed (SPEC §6.3).
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueEvent {
    /// The event id.
    pub id: crate::ObjectId,
    /// The offer credited.
    pub offer_id: crate::ObjectId,
    /// The click converted, if known.
    pub click_id: Option<String>,
    /// The SMS message id.
    pub message_id: Option<String>,
    /// The client's transaction id.
    pub txn_id: Option<String>,
    /// The amount.
    pub revenue: Amount,
    /// What kind of event.
    pub event_type: EventType,
    /// What it is attributed to.
    pub attribution_type: AttributionType,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// Which events a revenue list shows (SPEC §6.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevenueFilter {
    /// Only this offer (its id or slug).
    pub offer: Option<String>,
    /// First UTC day of `occurred_at`.
    pub from: Option<chrono::NaiveDate>,
    /// Last UTC day of `occurred_at`.
    pub to: Option<chrono::NaiveDate>,
    /// Only this kind of event.
    pub event_type: Option<EventType>,
}

impl RevenueFilter {
    /// Reads `offer_id`, `from`, `to` and `event_type`.
    pub fn parse<'a>(param: impl Fn(&str) -> Option<&'a str>) -> Result<Self, InputError> {
        let dates = crate::query::ClickFilter::parse(|name| match name {
            "from" | "to" => param(name),
            _ => None,
        })?;
        let event_type = param("event_type")
            .map(|text| EventType::parse(text).ok_or(InputError::InvalidEventType))
            .transpose()?;
        Ok(Self {
            offer: param("offer_id")
                .filter(|text| !text.is_empty())
                .map(str::to_owned),
            from: dates.from,
            to: dates.to,
            event_type,
        })
    }
}

/// Reads a request timestamp (SPEC §1.4): RFC 3339 with any offset, or a naive
/// `YYYY-MM-DDTHH:MM:SS[.fraction]` read as UTC.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|time| time.and_utc())
        })
}

/// Why a valid record could not be recorded: the offer or click it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unattributed {
    /// `click_id` names no click of the account (404).
    ClickNotFound,
    /// `offer_id` names no offer of the account (404).
    OfferNotFound,
    /// `offer_id` is an external id shared by several offers (409).
    AmbiguousOffer,
    /// `click_id` and `offer_id` name different offers (400).
    OfferMismatch,
}

impl Unattributed {
    /// The SPEC code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ClickNotFound => "click_not_found",
            Self::OfferNotFound => "offer_not_found",
            Self::AmbiguousOffer => "ambiguous_offer",
            Self::OfferMismatch => "offer_mismatch",
        }
    }

    /// A sentence for people.
    pub fn message(self) -> &'static str {
        match self {
            Self::ClickNotFound => "No click of this account has that click_id.",
            Self::OfferNotFound => "No offer of this account has that id, slug or external id.",
            Self::AmbiguousOffer => {
                "Several offers have that external id; send the offer's id or slug."
            }
            Self::OfferMismatch => "The click belongs to another offer than offer_id names.",
        }
    }

    /// Reads a store outcome name.
    pub fn parse(outcome: &str) -> Option<Self> {
        [
            Self::ClickNotFound,
            Self::OfferNotFound,
            Self::AmbiguousOffer,
            Self::OfferMismatch,
        ]
        .into_iter()
        .find(|candidate| candidate.code() == outcome)
    }
}

fn text_or_integer(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if is_storable(text) => Some(text.clone()),
        Value::String(_) => None,
        Value::Number(number) if number.is_i64() || number.is_u64() => Some(number.to_string()),
        _ => None,
    }
}

fn bounded_text(
    value: Option<&Value>,
    max: usize,
    error: InputError,
) -> Result<Option<String>, InputError> {
    match value {
        None => Ok(None),
        Some(value) => match text_or_integer(value) {
            Some(text) if text.chars().count() <= max => Ok(Some(text)),
            _ => Err(error),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        parse_timestamp("2026-01-10T12:00:00Z").expect("valid")
    }

    fn parse(value: Value) -> Result<RevenueInput, &'static str> {
        RevenueInput::from_json(value.as_object().expect("object"), now())
            .map_err(|error| error.code())
    }

    #[test]
    fn each_rule_of_the_record_table_reports_its_code() {
        let cases = [
            (
                json!({"offer_id": "o", "revenue": -1}),
                "invalid_revenue",
                "negative revenue",
            ),
            (
                json!({"offer_id": "o", "revenue": "1.23456"}),
                "invalid_revenue",
                "five decimals",
            ),
            (
                json!({"click_id": 5}),
                "invalid_click_id",
                "click_id not a string",
            ),
            (json!({}), "missing_offer_id", "neither offer nor click"),
            (
                json!({"offer_id": ""}),
                "missing_offer_id",
                "empty offer_id",
            ),
            (
                json!({"offer_id": true}),
                "invalid_offer_id",
                "offer_id a boolean",
            ),
            (
                json!({"offer_id": "o", "message_id": "m".repeat(65)}),
                "invalid_message_id",
                "long message id",
            ),
            (
                json!({"offer_id": "o", "attribution_type": "view"}),
                "invalid_attribution_type",
                "attribution",
            ),
            (
                json!({"offer_id": "o", "event_type": "purchase"}),
                "invalid_event_type",
                "event type",
            ),
            (
                json!({"offer_id": "o", "txn_id": "t".repeat(256)}),
                "invalid_txn_id",
                "long txn id",
            ),
            (
                json!({"offer_id": "o", "txn_id": [1]}),
                "invalid_txn_id",
                "txn id an array",
            ),
            (
                json!({"offer_id": "o", "timestamp": "yesterday"}),
                "invalid_timestamp",
                "not a time",
            ),
            (
                json!({"offer_id": "o", "timestamp": "2026-01-10T12:06:00Z"}),
                "invalid_timestamp",
                "6 minutes ahead",
            ),
            (
                json!({"offer_id": "o", "revenue": -1, "event_type": "x"}),
                "invalid_revenue",
                "first rule wins",
            ),
        ];
        for (input, code, description) in cases {
            assert_eq!(parse(input).map(|_| ()), Err(code), "{description}");
        }
    }

    #[test]
    fn defaults_and_lenient_forms() {
        let record =
            parse(json!({"offer_id": 1234, "txn_id": 99, "revenue": "24.99"})).expect("valid");
        assert_eq!(record.offer.as_deref(), Some("1234"));
        assert_eq!(record.txn_id.as_deref(), Some("99"));
        assert_eq!(
            record.revenue.map(|amount| amount.value().to_string()),
            Some("24.99".to_owned())
        );
        assert_eq!(record.event_type, EventType::Sale);
        assert_eq!(record.attribution_type, AttributionType::Sale);
        assert_eq!(record.occurred_at, now());

        let by_click =
            parse(json!({"click_id": "664f1a2b3c4d5e6f7a8b9c0d", "revenue": null})).expect("valid");
        assert_eq!(
            by_click.revenue, None,
            "absent revenue takes the payout later"
        );
    }

    #[test]
    fn timestamps_accept_offsets_and_naive_utc() {
        let cases = [
            ("2026-01-10T14:30:00+02:00", "2026-01-10T12:30:00Z"),
            ("2026-01-10T12:30:00Z", "2026-01-10T12:30:00Z"),
            ("2026-01-10T12:30:00", "2026-01-10T12:30:00Z"),
            ("2026-01-10T12:30:00.250", "2026-01-10T12:30:00.250Z"),
        ];
        for (text, expected) in cases {
            let parsed = parse_timestamp(text).expect(text);
            assert_eq!(parsed, parse_timestamp(expected).expect(expected), "{text}");
        }
        assert_eq!(parse_timestamp("2026-01-10 12:30:00"), None);
        let four_minutes_ahead = json!({"offer_id": "o", "timestamp": "2026-01-10T12:04:00Z"});
        assert!(parse(four_minutes_ahead).is_ok());
    }

    #[test]
    fn unattributed_outcomes_round_trip() {
        for outcome in [
            "click_not_found",
            "offer_not_found",
            "ambiguous_offer",
            "offer_mismatch",
        ] {
            assert_eq!(
                Unattributed::parse(outcome).map(Unattributed::code),
                Some(outcome)
            );
        }
        assert_eq!(Unattributed::parse("created"), None);
    }
}
