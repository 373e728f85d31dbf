//! Bodies of `POST /api/v2/revenue` (SPEC §6.1) and `POST /api/v2/revenue/bulk` (§6.2).

use serde::Deserialize;
use trackly_domain::input::{AmountText, Sent, TextOrInteger};
use trackly_domain::revenue::{
    AttributionType, EventType, RevenueFields, RevenueInput, MAX_BULK_RECORDS,
    MESSAGE_ID_MAX_CHARS, TXN_ID_MAX_CHARS,
};
use trackly_domain::InputError;
use utoipa::openapi::schema::{
    AllOfBuilder, AnyOfBuilder, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::schema::{
    amount, array_of, described, no_nul, not_blank, nullable, one_of, or_null, storable,
    text_or_integer, timestamp,
};

/// A revenue record (SPEC §6.1): by `offer_id` (id, slug or external id) or `click_id`,
/// or both (then they must agree). `null` means not sent.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RevenueRecordRequest {
    /// The amount; absent → the offer's payout.
    pub revenue: Sent<AmountText>,
    /// The click this converts.
    pub click_id: Sent<String>,
    /// The offer's id, slug or external id; required without `click_id`.
    pub offer_id: Sent<TextOrInteger>,
    /// The SMS message id, stored as given.
    pub message_id: Sent<TextOrInteger>,
    /// Default `sale`.
    pub attribution_type: Sent<String>,
    /// Default `sale`; refunds and chargebacks subtract.
    pub event_type: Sent<String>,
    /// Your transaction id: a second record with it is a duplicate, not stored again.
    pub txn_id: Sent<TextOrInteger>,
    /// When it happened; default now, at most 5 minutes ahead.
    pub timestamp: Sent<String>,
}

impl RevenueRecordRequest {
    /// The record's rules, run at `now` (the default time and the limit for times ahead).
    pub fn into_input(
        self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<RevenueInput, InputError> {
        RevenueInput::new(
            RevenueFields {
                revenue: self.revenue,
                click_id: self.click_id,
                offer_id: self.offer_id,
                message_id: self.message_id,
                attribution_type: self.attribution_type,
                event_type: self.event_type,
                txn_id: self.txn_id,
                timestamp: self.timestamp,
            },
            now,
        )
    }
}

/// Body of `POST /api/v2/revenue/bulk` (SPEC §6.2): each record stands alone.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RevenueBulkRequest {
    /// 1 to 1,000 records.
    #[schema(schema_with = records, required = true)]
    pub records: Sent<Vec<Sent<RevenueRecordRequest>>>,
}

impl RevenueBulkRequest {
    /// Each record's rules, run at `now`; a record that is not an object is
    /// `invalid_record`. The batch itself must be a non-empty array.
    pub fn into_inputs(
        self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Result<RevenueInput, InputError>>, InputError> {
        match self.records {
            Sent::Value(records) if !records.is_empty() => Ok(records
                .into_iter()
                .map(|record| match record {
                    Sent::Value(record) => record.into_input(now),
                    _ => Err(InputError::InvalidRecord),
                })
                .collect()),
            _ => Err(InputError::MissingRecords),
        }
    }
}

/// The record's schema: every field optional, but an offer (`offer_id`, not blank) or a
/// click (`click_id`, not empty) must be named (`missing_offer_id`). `null` means not sent.
impl PartialSchema for RevenueRecordRequest {
    fn schema() -> RefOr<Schema> {
        let fields = ObjectBuilder::new()
            .property("revenue", described(or_null(amount()), "The amount; absent → the offer's payout."))
            .property("click_id", described(nullable(no_nul()), "The click this converts."))
            .property("offer_id", described(or_null(text_or_integer(no_nul())), "The offer's id, slug or external id; required without `click_id`."))
            .property("message_id", described(or_null(text_or_integer(storable(MESSAGE_ID_MAX_CHARS))), "The SMS message id, stored as given."))
            .property("attribution_type", described(nullable(one_of(AttributionType::ALL.iter().map(|kind| kind.as_str()))), "Default `sale`."))
            .property("event_type", described(nullable(one_of(EventType::ALL.iter().map(|kind| kind.as_str()))), "Default `sale`; refunds and chargebacks subtract."))
            .property("txn_id", described(or_null(text_or_integer(storable(TXN_ID_MAX_CHARS))), "Your transaction id: a second record with it is a duplicate, not stored again."))
            .property("timestamp", described(nullable(timestamp().examples(["2026-01-10T12:30:00Z"])), "When it happened; default now, at most 5 minutes ahead."));
        let names_offer = ObjectBuilder::new()
            .required("offer_id")
            .property("offer_id", text_or_integer(not_blank()));
        let names_click = ObjectBuilder::new().required("click_id").property(
            "click_id",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1)),
        );
        Schema::AllOf(
            AllOfBuilder::new()
                .item(fields)
                .item(AnyOfBuilder::new().item(names_offer).item(names_click))
                .build(),
        )
        .into()
    }
}

impl ToSchema for RevenueRecordRequest {}

fn records() -> Schema {
    array_of(
        AnyOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name(
                "RevenueRecordRequest",
            ))
            .item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::AnyValue)
                    .description(Some(
                    "Anything else is refused alone: listed in `errors`, the others are stored.",
                )),
            )
            .into(),
        1,
        MAX_BULK_RECORDS,
    )
}
