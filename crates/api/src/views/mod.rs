//! Response bodies built from domain values (SPEC §2 offer object, §1.4 timestamps).

pub mod integrations;
pub mod links;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use trackly_app::ReplicaState;
use trackly_domain::click::{BotReason, Click};
use trackly_domain::code::CODE_LENGTH;
use trackly_domain::offer::{ExternalPlatform, Metadata, OfferStatus, PayoutType};
use trackly_domain::query::Pagination;
use trackly_domain::query::MAX_PER_PAGE;
use trackly_domain::revenue::{
    AttributionType, BulkOutcome, EventType, RecordFailure, Recorded, RevenueEvent,
};
use trackly_domain::stats::{per_click, Counts, DayCounts};
use trackly_domain::time::format_timestamp;
use trackly_domain::{Amount, ObjectId, Offer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::KnownFormat;
use utoipa::ToSchema;

use crate::requests::schema::{nullable, one_of};

/// A timestamp as the SPEC writes it: UTC, whole seconds, `Z`.
fn timestamp(time: DateTime<Utc>) -> String {
    format_timestamp(time)
}

/// The offer object of SPEC §2.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView<'a> {
    #[schema(schema_with = id)]
    id: &'a str,
    #[schema(schema_with = slug)]
    slug: String,
    name: &'a str,
    tracking_url: &'a str,
    #[schema(schema_with = platform)]
    external_platform: Option<ExternalPlatform>,
    external_id: Option<&'a str>,
    advertiser_id: Option<&'a str>,
    #[schema(value_type = f64, example = 2.5)]
    payout: Amount,
    #[schema(schema_with = payout_type)]
    payout_type: PayoutType,
    filter_bots: bool,
    #[schema(schema_with = offer_status)]
    status: OfferStatus,
    #[schema(value_type = std::collections::HashMap<String, String>)]
    metadata: &'a Metadata,
    #[schema(schema_with = uri)]
    click_url: String,
    #[schema(schema_with = time)]
    created_at: String,
    #[schema(schema_with = time)]
    updated_at: String,
}

impl<'a> OfferView<'a> {
    /// The view of `offer`, with its tracking link under `public_url`.
    pub fn new(offer: &'a Offer, public_url: &str) -> Self {
        Self {
            id: offer.id.as_str(),
            slug: offer.slug(),
            name: offer.name.as_str(),
            tracking_url: offer.tracking_url.as_str(),
            external_platform: offer.external_platform,
            external_id: offer.external_id.as_deref(),
            advertiser_id: offer.advertiser_id.as_deref(),
            payout: offer.payout,
            payout_type: offer.payout_type,
            filter_bots: offer.filter_bots,
            status: offer.status,
            metadata: &offer.metadata,
            click_url: format!("{public_url}/{}", offer.code),
            created_at: timestamp(offer.created_at),
            updated_at: timestamp(offer.updated_at),
        }
    }
}

/// A raw click of SPEC §5.4.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClickView<'a> {
    #[schema(schema_with = id)]
    click_id: &'a str,
    #[schema(schema_with = nullable_id)]
    offer_id: Option<&'a str>,
    #[schema(schema_with = time)]
    created_at: String,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    referer: Option<&'a str>,
    sub1: Option<&'a str>,
    sub2: Option<&'a str>,
    sub3: Option<&'a str>,
    sub4: Option<&'a str>,
    sub5: Option<&'a str>,
    is_bot: bool,
    #[schema(schema_with = bot_reason)]
    bot_reason: Option<BotReason>,
    /// The link followed (SPEC §9.4), if the click came through one.
    link_id: Option<&'a str>,
    /// The link's message id.
    message_id: Option<&'a str>,
    /// The link's contact list.
    list_id: Option<&'a str>,
    /// The link's contact.
    contact_phone: Option<&'a str>,
    /// The first human click of its message and contact.
    first_click: bool,
}

impl<'a> ClickView<'a> {
    /// The view of `click`.
    pub fn new(click: &'a Click) -> Self {
        let [sub1, sub2, sub3, sub4, sub5] = click.subs.each_ref().map(Option::as_deref);
        let link = click.link.as_ref();
        Self {
            click_id: click.id.as_str(),
            offer_id: click.offer_id.as_ref().map(ObjectId::as_str),
            created_at: timestamp(click.created_at),
            ip: click.ip.as_deref(),
            user_agent: click.user_agent.as_deref(),
            referer: click.referer.as_deref(),
            sub1,
            sub2,
            sub3,
            sub4,
            sub5,
            is_bot: click.bot_reason.is_some(),
            bot_reason: click.bot_reason,
            link_id: link.map(|link| link.link_id.as_str()),
            message_id: link.and_then(|link| link.message_id.as_deref()),
            list_id: link.and_then(|link| link.list_id.as_deref()),
            contact_phone: link
                .and_then(|link| link.contact_phone.as_ref().map(|phone| phone.as_str())),
            first_click: click.first_click,
        }
    }
}

/// Serializes a decimal as a JSON number.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Money(#[serde(with = "rust_decimal::serde::float")] pub Decimal);

/// A revenue event of SPEC §6.3.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueEventView<'a> {
    #[schema(schema_with = id)]
    id: &'a str,
    #[schema(schema_with = id)]
    offer_id: &'a str,
    click_id: Option<&'a str>,
    message_id: Option<&'a str>,
    txn_id: Option<&'a str>,
    #[schema(value_type = f64)]
    revenue: Amount,
    #[schema(schema_with = event_type)]
    event_type: EventType,
    #[schema(schema_with = attribution_type)]
    attribution_type: AttributionType,
    #[schema(schema_with = time)]
    occurred_at: String,
    #[schema(schema_with = time)]
    created_at: String,
}

impl<'a> RevenueEventView<'a> {
    /// The view of `event`.
    pub fn new(event: &'a RevenueEvent) -> Self {
        Self {
            id: event.id.as_str(),
            offer_id: event.offer_id.as_str(),
            click_id: event.click_id.as_deref(),
            message_id: event.message_id.as_deref(),
            txn_id: event.txn_id.as_deref(),
            revenue: event.revenue,
            event_type: event.event_type,
            attribution_type: event.attribution_type,
            occurred_at: timestamp(event.occurred_at),
            created_at: timestamp(event.created_at),
        }
    }
}

/// The `totals` object of SPEC §7.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsView {
    clicks: i64,
    unique_clicks: i64,
    bot_clicks: i64,
    first_clicks: i64,
    conversions: i64,
    #[schema(value_type = f64)]
    revenue: Money,
    #[schema(value_type = f64)]
    epc: Money,
    #[schema(value_type = f64)]
    conversion_rate: Money,
}

impl TotalsView {
    /// Totals with EPC and conversion rate computed (4 fractional digits).
    pub fn new(counts: &Counts) -> Self {
        let clicks = u64::try_from(counts.clicks).unwrap_or_default();
        Self {
            clicks: counts.clicks,
            unique_clicks: counts.unique_clicks,
            bot_clicks: counts.bot_clicks,
            first_clicks: counts.first_clicks,
            conversions: counts.conversions,
            revenue: Money(counts.revenue.normalize()),
            epc: Money(per_click(counts.revenue, clicks)),
            conversion_rate: Money(per_click(Decimal::from(counts.conversions), clicks)),
        }
    }
}

/// One entry of `daily` (SPEC §7.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct DayView {
    #[schema(schema_with = day)]
    date: String,
    clicks: i64,
    unique_clicks: i64,
    bot_clicks: i64,
    first_clicks: i64,
    conversions: i64,
    #[schema(value_type = f64)]
    revenue: Money,
}

impl DayView {
    /// The view of one day.
    pub fn new(day: &DayCounts) -> Self {
        Self {
            date: day.day.to_string(),
            clicks: day.counts.clicks,
            unique_clicks: day.counts.unique_clicks,
            bot_clicks: day.counts.bot_clicks,
            first_clicks: day.counts.first_clicks,
            conversions: day.counts.conversions,
            revenue: Money(day.counts.revenue.normalize()),
        }
    }
}

/// The `pagination` object of SPEC §1.6.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaginationView {
    #[schema(minimum = 1)]
    page: u32,
    #[schema(schema_with = per_page)]
    per_page: u32,
    total: u64,
    total_pages: u64,
}

impl From<Pagination> for PaginationView {
    fn from(pagination: Pagination) -> Self {
        Self {
            page: pagination.page,
            per_page: pagination.per_page,
            total: pagination.total,
            total_pages: pagination.total_pages,
        }
    }
}

/// `201` of `POST /api/v2/offers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferCreated<'a> {
    /// Always true.
    pub success: bool,
    /// The new offer.
    pub offer: OfferView<'a>,
}

/// `200` of `GET /api/v2/offers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferList<'a> {
    /// One page of offers.
    pub offers: Vec<OfferView<'a>>,
    /// Where the page stands.
    pub pagination: PaginationView,
}

/// `200` of `DELETE /api/v2/offers/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Archived {
    /// Always true.
    pub success: bool,
    /// Always true.
    pub archived: bool,
}

/// `200` of `GET /api/v2/offers/{id}/clicks`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClickList<'a> {
    /// One page of clicks.
    pub clicks: Vec<ClickView<'a>>,
    /// Where the page stands.
    pub pagination: PaginationView,
}

/// `200` of `GET /api/v2/revenue`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueList<'a> {
    /// One page of events.
    pub revenue: Vec<RevenueEventView<'a>>,
    /// Where the page stands.
    pub pagination: PaginationView,
}

/// `201`/`200` of `POST /api/v2/revenue` and the postbacks (SPEC §6.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueRecorded {
    /// Always true.
    pub success: bool,
    /// The event id.
    pub revenue_id: String,
    /// The offer credited.
    pub offer_id: String,
    /// The click converted.
    pub click_id: Option<String>,
    /// The SMS message id.
    pub message_id: Option<String>,
    /// The amount.
    #[schema(value_type = f64)]
    pub revenue: Money,
    /// Present (true) when the txn_id was recorded before and this is the first event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<bool>,
}

impl RevenueRecorded {
    /// The answer for `recorded`.
    pub fn new(recorded: &Recorded) -> Self {
        Self {
            success: true,
            revenue_id: recorded.revenue_id.to_string(),
            offer_id: recorded.offer_id.to_string(),
            click_id: recorded.click_id.clone(),
            message_id: recorded.message_id.clone(),
            revenue: Money(recorded.revenue.value()),
            duplicate: recorded.duplicate.then_some(true),
        }
    }
}

/// One refused record of a bulk request.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkError {
    /// Its position in `records`.
    pub index: usize,
    /// The SPEC code.
    pub code: &'static str,
    /// A sentence.
    pub error: String,
}

impl From<&RecordFailure> for BulkError {
    fn from(failure: &RecordFailure) -> Self {
        Self {
            index: failure.index,
            code: failure.code,
            error: failure.message.clone(),
        }
    }
}

/// `200` of `POST /api/v2/revenue/bulk` (SPEC §6.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkSummary {
    /// Records newly stored.
    pub success_count: u64,
    /// Records refused.
    pub error_count: usize,
    /// Records whose txn_id was already stored.
    pub duplicate_count: u64,
    /// Revenue of the newly stored records.
    #[schema(value_type = f64)]
    pub total_revenue: Money,
    /// The first 100 refusals.
    pub errors: Vec<BulkError>,
}

impl BulkSummary {
    /// The answer for a batch's outcome.
    pub fn new(outcome: &BulkOutcome) -> Self {
        Self {
            success_count: outcome.created,
            error_count: outcome.failed,
            duplicate_count: outcome.duplicates,
            total_revenue: Money(outcome.total_revenue),
            errors: outcome.failures.iter().map(BulkError::from).collect(),
        }
    }
}

/// `200` of `GET /api/v2/offers/{id}/stats` (SPEC §7.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferStats {
    /// The offer's id.
    #[schema(schema_with = id)]
    pub offer_id: String,
    /// First day.
    #[schema(schema_with = day)]
    pub from: String,
    /// Last day.
    #[schema(schema_with = day)]
    pub to: String,
    /// Sums over the range.
    pub totals: TotalsView,
    /// Every day of the range.
    pub daily: Vec<DayView>,
}

/// One offer of `GET /api/v2/stats/offers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountStatsItem {
    /// The offer's id.
    #[schema(schema_with = id)]
    pub offer_id: String,
    /// Its name.
    pub name: String,
    /// Its status.
    #[schema(schema_with = offer_status)]
    pub status: String,
    /// Its sums over the range.
    pub totals: TotalsView,
}

/// `200` of `GET /api/v2/stats/offers` (SPEC §7.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountStats {
    /// First day.
    #[schema(schema_with = day)]
    pub from: String,
    /// Last day.
    #[schema(schema_with = day)]
    pub to: String,
    /// One page of offers, highest revenue first.
    pub offers: Vec<AccountStatsItem>,
    /// Where the page stands.
    pub pagination: PaginationView,
}

/// `/healthz` and `/readyz` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, `ready` or `unavailable`.
    #[schema(schema_with = health_status)]
    pub status: &'static str,
    /// Why it is unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The read replica's state (`/readyz` with `DATABASE_READ_URL` set): `in_use`, or
    /// why reads that tolerate lag go to the primary instead. It never makes the service
    /// unready.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = replica_state)]
    pub replica: Option<&'static str>,
}

/// A resource id (SPEC §1.5).
pub(crate) fn id() -> Schema {
    Schema::Object(id_schema().build())
}

/// A resource id, or `null` (a URL-mode link's click has no offer).
fn nullable_id() -> Schema {
    nullable(id_schema())
}

fn id_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9a-f]{24}$"))
}

/// An offer's slug (SPEC §2).
fn slug() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!("^ofr_[a-z0-9-]+_[a-z0-9]{{{CODE_LENGTH}}}$")))
            .build(),
    )
}

/// A timestamp of an answer (SPEC §1.4): UTC, whole seconds, `Z`.
pub(crate) fn time() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .pattern(Some(
                "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
            ))
            .build(),
    )
}

/// A UTC day.
fn day() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .build(),
    )
}

/// An absolute URL.
fn uri() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uri)))
            .build(),
    )
}

/// The page size served: at least 1, at most the largest page.
fn per_page() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(MAX_PER_PAGE))
            .build(),
    )
}

pub(crate) fn platform() -> Schema {
    nullable(one_of(ExternalPlatform::ALL.iter().map(|p| p.as_str())))
}

fn payout_type() -> Schema {
    Schema::Object(one_of(PayoutType::ALL.iter().map(|p| p.as_str())).build())
}

fn offer_status() -> Schema {
    Schema::Object(one_of(OfferStatus::ALL.iter().map(|s| s.as_str())).build())
}

fn bot_reason() -> Schema {
    nullable(one_of(BotReason::ALL.iter().map(|r| r.as_str())))
}

fn event_type() -> Schema {
    Schema::Object(one_of(EventType::ALL.iter().map(|kind| kind.as_str())).build())
}

fn attribution_type() -> Schema {
    Schema::Object(one_of(AttributionType::ALL.iter().map(|kind| kind.as_str())).build())
}

fn health_status() -> Schema {
    Schema::Object(one_of(["ok", "ready", "unavailable"]).build())
}

fn replica_state() -> Schema {
    Schema::Object(one_of(ReplicaState::ALL.iter().map(|state| state.as_str())).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_utc_seconds_with_z() {
        let time = DateTime::parse_from_rfc3339("2025-11-01T16:30:00.789+02:00")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(timestamp(time), "2025-11-01T14:30:00Z");
    }
}
