//! Response bodies built from domain values (SPEC §2 offer object, §1.4 timestamps).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use trackly_domain::click::{BotReason, Click};
use trackly_domain::offer::{ExternalPlatform, Metadata, OfferStatus, PayoutType};
use trackly_domain::query::Pagination;
use trackly_domain::revenue::{AttributionType, EventType, RevenueEvent};
use trackly_domain::stats::per_click;
use trackly_domain::{Amount, Offer};
use trackly_store::stats::{Counts, DayCounts};
use utoipa::ToSchema;

/// A timestamp as the SPEC writes it: UTC, whole seconds, `Z`.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The offer object of SPEC §2.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView<'a> {
    id: &'a str,
    slug: String,
    name: &'a str,
    tracking_url: &'a str,
    #[schema(value_type = Option<String>, example = "tune")]
    external_platform: Option<ExternalPlatform>,
    external_id: Option<&'a str>,
    advertiser_id: Option<&'a str>,
    #[schema(value_type = f64, example = 2.5)]
    payout: Amount,
    #[schema(value_type = String, example = "cpa")]
    payout_type: PayoutType,
    filter_bots: bool,
    #[schema(value_type = String, example = "active")]
    status: OfferStatus,
    #[schema(value_type = std::collections::HashMap<String, String>)]
    metadata: &'a Metadata,
    click_url: String,
    created_at: String,
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
    click_id: &'a str,
    offer_id: &'a str,
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
    #[schema(value_type = Option<String>, example = "bot_user_agent")]
    bot_reason: Option<BotReason>,
}

impl<'a> ClickView<'a> {
    /// The view of `click`.
    pub fn new(click: &'a Click) -> Self {
        let [sub1, sub2, sub3, sub4, sub5] = click.subs.each_ref().map(Option::as_deref);
        Self {
            click_id: click.id.as_str(),
            offer_id: click.offer_id.as_str(),
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
        }
    }
}

/// Serializes a decimal as a JSON number.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Money(#[serde(with = "rust_decimal::serde::float")] pub Decimal);

/// A revenue event of SPEC §6.3.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevenueEventView<'a> {
    id: &'a str,
    offer_id: &'a str,
    click_id: Option<&'a str>,
    message_id: Option<&'a str>,
    txn_id: Option<&'a str>,
    #[schema(value_type = f64)]
    revenue: Amount,
    #[schema(value_type = String, example = "sale")]
    event_type: EventType,
    #[schema(value_type = String, example = "sale")]
    attribution_type: AttributionType,
    occurred_at: String,
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
    date: String,
    clicks: i64,
    unique_clicks: i64,
    bot_clicks: i64,
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
            conversions: day.counts.conversions,
            revenue: Money(day.counts.revenue.normalize()),
        }
    }
}

/// The `pagination` object of SPEC §1.6.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaginationView {
    page: u32,
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

/// `200` of `GET /api/v2/offers/{id}/stats` (SPEC §7.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferStats {
    /// The offer's id.
    pub offer_id: String,
    /// First day.
    pub from: String,
    /// Last day.
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
    pub offer_id: String,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: String,
    /// Its sums over the range.
    pub totals: TotalsView,
}

/// `200` of `GET /api/v2/stats/offers` (SPEC §7.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountStats {
    /// First day.
    pub from: String,
    /// Last day.
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
    pub status: &'static str,
    /// Why it is unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
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
