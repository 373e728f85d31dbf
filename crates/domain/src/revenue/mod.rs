//! Revenue events (SPEC §6): the record a client or postback sends, checked in the order
//! of the §6.1 table, and the answers the store can give about it.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Utc};
use serde::Deserialize;
use validator::Validate;

use crate::error::InputError;
use crate::input::{first_error, AmountText, Sent, TextOrInteger};
use crate::money::Amount;
use crate::slug::code_of_slug;
use crate::{ObjectId, OfferCode};

mod rules;

/// How far in the future an event's timestamp may be.
const MAX_FUTURE: Duration = Duration::minutes(5);
/// The longest `message_id`.
pub const MESSAGE_ID_MAX_CHARS: usize = 64;
/// The longest `txn_id`.
pub const TXN_ID_MAX_CHARS: usize = 255;
/// The length limits, as the length rules take them.
const MESSAGE_ID_MAX: u64 = MESSAGE_ID_MAX_CHARS as u64;
const TXN_ID_MAX: u64 = TXN_ID_MAX_CHARS as u64;

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

/// The codes of the SPEC §6.1 table, in its check order.
const CHECK_ORDER: [&str; 9] = [
    "invalid_revenue",
    "invalid_click_id",
    "invalid_offer_id",
    "missing_offer_id",
    "invalid_message_id",
    "invalid_attribution_type",
    "invalid_event_type",
    "invalid_txn_id",
    "invalid_timestamp",
];

/// A revenue record as sent (SPEC §6.1), from a JSON body or a postback's query string.
/// `null` and empty identifiers mean "not sent"; `offer_id`, `message_id` and `txn_id`
/// may be whole numbers (platform ids often are), read as their decimal text.
///
/// ```
/// use trackly_domain::revenue::{RevenueFields, RevenueInput};
/// let now = chrono::Utc::now();
/// let fields = RevenueFields { offer_id: "1234".into(), revenue: "24.99".into(), ..Default::default() };
/// let input = RevenueInput::new(fields, now).expect("valid");
/// assert_eq!(input.offer.as_ref().map(|offer| offer.text()), Some("1234"));
///
/// let error = RevenueInput::new(RevenueFields::default(), now).unwrap_err();
/// assert_eq!(error.code(), "missing_offer_id");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Validate, Deserialize)]
#[serde(default)]
#[validate(schema(function = "offer_or_click", skip_on_field_errors = false))]
pub struct RevenueFields {
    /// An amount (SPEC §1.8); absent → the offer's payout.
    #[validate(custom(function = "rules::revenue"))]
    pub revenue: Sent<AmountText>,
    /// A click of the account.
    #[validate(custom(function = "rules::click_id"))]
    pub click_id: Sent<String>,
    /// The offer's id, slug or external id; required unless `click_id` is given.
    #[validate(custom(function = "rules::offer_id"))]
    pub offer_id: Sent<TextOrInteger>,
    /// The SMS message id, at most 64 characters.
    #[validate(
        length(max = MESSAGE_ID_MAX, code = "invalid_message_id"),
        custom(function = "rules::message_id")
    )]
    pub message_id: Sent<TextOrInteger>,
    /// `sale`, `click` or `send`; default `sale`.
    #[validate(custom(function = "rules::attribution_type"))]
    pub attribution_type: Sent<String>,
    /// `lead`, `sale`, `rebill`, `refund`, `chargeback`, `install` or `signup`; default
    /// `sale`.
    #[validate(custom(function = "rules::event_type"))]
    pub event_type: Sent<String>,
    /// The client's transaction id, at most 255 characters, unique per account.
    #[validate(
        length(max = TXN_ID_MAX, code = "invalid_txn_id"),
        custom(function = "rules::txn_id")
    )]
    pub txn_id: Sent<TextOrInteger>,
    /// When it happened (SPEC §1.4); default now, at most 5 minutes ahead.
    #[validate(custom(function = "rules::timestamp"))]
    pub timestamp: Sent<String>,
}

/// `missing_offer_id`: neither an offer nor a click names what the revenue is for.
fn offer_or_click(fields: &RevenueFields) -> Result<(), validator::ValidationError> {
    let offer = fields
        .offer_id
        .value()
        .is_some_and(|offer| !offer.0.trim().is_empty());
    let click = fields
        .click_id
        .value()
        .is_some_and(|click| !click.is_empty());
    if offer || click {
        Ok(())
    } else {
        Err(crate::input::failure("missing_offer_id"))
    }
}

/// How a record names its offer: one text, which may be an offer's id, a slug (naming the
/// offer by its code) or an external id. They are tried in that order, so an external id
/// that looks like an id still works when no offer has that id. Parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferReference {
    text: String,
    id: Option<ObjectId>,
    code: Option<OfferCode>,
}

impl OfferReference {
    /// Reads the text every way it can be read.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            id: ObjectId::parse(text),
            code: code_of_slug(text),
        }
    }

    /// The text as sent (tried last, as an external id).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text as an offer id, if it is one.
    pub fn id(&self) -> Option<&ObjectId> {
        self.id.as_ref()
    }

    /// The code of the text as a slug, if it is one.
    pub fn code(&self) -> Option<&OfferCode> {
        self.code.as_ref()
    }
}

/// How a record names its click: the id as sent, and the click id it is, if it is one
/// (only then can a click have it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickReference {
    text: String,
    id: Option<ObjectId>,
}

impl ClickReference {
    /// Reads a click id.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            id: ObjectId::parse(text),
        }
    }

    /// The id as sent.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The id, if it is well-formed (its first 4 bytes are the click's second).
    pub fn id(&self) -> Option<&ObjectId> {
        self.id.as_ref()
    }
}

/// A valid revenue record, not yet attributed.
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueInput {
    /// The amount; `None` takes the offer's payout.
    pub revenue: Option<Amount>,
    /// The click it converts.
    pub click: Option<ClickReference>,
    /// The offer it is for.
    pub offer: Option<OfferReference>,
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
    /// Checks a record in the order of the SPEC §6.1 table; the first rule broken is the
    /// error. `now` is the time the record arrives: the default time, and the limit for
    /// times in the future.
    pub fn new(fields: RevenueFields, now: DateTime<Utc>) -> Result<Self, InputError> {
        fields
            .validate()
            .map_err(|errors| first_error(&errors, &CHECK_ORDER))?;
        let text = |sent: Sent<TextOrInteger>| {
            sent.into_value()
                .map(|text| text.0)
                .filter(|text| !text.trim().is_empty())
        };
        let occurred_at = match fields.timestamp.value() {
            None => now,
            Some(text) => parse_timestamp(text)
                .filter(|time| *time <= now + MAX_FUTURE)
                .ok_or(InputError::InvalidTimestamp)?,
        };
        Ok(Self {
            revenue: fields
                .revenue
                .value()
                .map(|amount| Amount::from_text(amount).ok_or(InputError::InvalidRevenue))
                .transpose()?,
            click: fields
                .click_id
                .value()
                .filter(|text| !text.is_empty())
                .map(|text| ClickReference::new(text)),
            offer: text(fields.offer_id).map(|text| OfferReference::new(&text)),
            message_id: fields.message_id.into_value().map(|text| text.0),
            attribution_type: fields
                .attribution_type
                .value()
                .and_then(|text| AttributionType::parse(text))
                .unwrap_or(AttributionType::Sale),
            event_type: fields
                .event_type
                .value()
                .and_then(|text| EventType::parse(text))
                .unwrap_or(EventType::Sale),
            txn_id: fields.txn_id.into_value().map(|text| text.0),
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
/// `YYYY-MM-DDTHH:MM:SS[.fraction]` read as UTC. Times before the year 1 (UTC) are
/// refused: PostgreSQL stores no year 0.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|time| time.and_utc())
        })
        .filter(|time| time.year() >= 1)
}

/// A recorded event, as the record endpoints answer it (SPEC §6.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The event id.
    pub revenue_id: crate::ObjectId,
    /// The offer credited.
    pub offer_id: crate::ObjectId,
    /// The click converted.
    pub click_id: Option<String>,
    /// The SMS message id.
    pub message_id: Option<String>,
    /// The amount.
    pub revenue: Amount,
    /// True when the txn_id was recorded before and this is that first event.
    pub duplicate: bool,
}

/// What happened to one record: recorded, or why it could not be attributed.
pub type RecordOutcome = Result<Recorded, Unattributed>;

/// The most records one bulk request may carry (SPEC §6.2).
pub const MAX_BULK_RECORDS: usize = 1_000;
/// The most per-record failures a bulk answer lists (SPEC §6.2).
pub const MAX_LISTED_FAILURES: usize = 100;

/// Why one record of a batch was not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFailure {
    /// The record's position in the batch, from 0.
    pub index: usize,
    /// The SPEC code.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

/// What a batch of records did (SPEC §6.2). The counts add up to the number of records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BulkOutcome {
    /// Records stored now.
    pub created: u64,
    /// Records whose txn_id was recorded before (nothing stored).
    pub duplicates: u64,
    /// The revenue of the records stored now.
    pub total_revenue: rust_decimal::Decimal,
    /// Records refused, invalid or unattributed.
    pub failed: usize,
    /// The first `MAX_LISTED_FAILURES` refusals, in record order.
    pub failures: Vec<RecordFailure>,
}

impl BulkOutcome {
    /// Sums up a batch: the outcome of each valid record and the failure of each invalid
    /// one, by position.
    pub fn new(
        outcomes: impl IntoIterator<Item = (usize, RecordOutcome)>,
        invalid: impl IntoIterator<Item = (usize, InputError)>,
    ) -> Self {
        let mut summary = Self::default();
        let mut failures: Vec<RecordFailure> = invalid
            .into_iter()
            .map(|(index, error)| RecordFailure {
                index,
                code: error.code(),
                message: error.to_string(),
            })
            .collect();
        for (index, outcome) in outcomes {
            match outcome {
                Ok(recorded) if recorded.duplicate => summary.duplicates += 1,
                Ok(recorded) => {
                    summary.created += 1;
                    summary.total_revenue += recorded.revenue.value();
                }
                Err(unattributed) => failures.push(RecordFailure {
                    index,
                    code: unattributed.code(),
                    message: unattributed.message().to_owned(),
                }),
            }
        }
        failures.sort_by_key(|failure| failure.index);
        summary.failed = failures.len();
        failures.truncate(MAX_LISTED_FAILURES);
        summary.failures = failures;
        summary
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn now() -> DateTime<Utc> {
        parse_timestamp("2026-01-10T12:00:00Z").expect("valid")
    }

    fn parse(value: Value) -> Result<RevenueInput, &'static str> {
        let fields: RevenueFields = serde_json::from_value(value).expect("any object reads");
        RevenueInput::new(fields, now()).map_err(|error| error.code())
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
            (
                json!({"message_id": "m".repeat(65), "event_type": "x"}),
                "missing_offer_id",
                "the missing offer comes before later field rules",
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
        assert_eq!(
            record.offer.as_ref().map(OfferReference::text),
            Some("1234")
        );
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
        assert_eq!(parse_timestamp("0000-02-29T23:09:29"), None, "no year 0");
        assert_eq!(
            parse_timestamp("0001-01-01T00:30:00+01:00"),
            None,
            "year 0 in UTC"
        );
        assert!(parse_timestamp("0001-01-01T00:00:00Z").is_some());
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
