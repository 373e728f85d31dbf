//! Response bodies built from domain values (SPEC §2 offer object, §1.4 timestamps).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use trackly_domain::click::{BotReason, Click};
use trackly_domain::offer::{ExternalPlatform, Metadata, OfferStatus, PayoutType};
use trackly_domain::revenue::{AttributionType, EventType, RevenueEvent};
use trackly_domain::stats::per_click;
use trackly_domain::{Amount, Offer};
use trackly_store::stats::{Counts, DayCounts};

/// A timestamp as the SPEC writes it: UTC, whole seconds, `Z`.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The offer object of SPEC §2.
#[derive(Debug, Serialize)]
pub struct OfferView<'a> {
    id: &'a str,
    slug: String,
    name: &'a str,
    tracking_url: &'a str,
    external_platform: Option<ExternalPlatform>,
    external_id: Option<&'a str>,
    advertiser_id: Option<&'a str>,
    payout: Amount,
    payout_type: PayoutType,
    filter_bots: bool,
    status: OfferStatus,
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
#[derive(Debug, Serialize)]
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

/// A money value as a JSON number (stats may be negative after refunds, so this is not
/// an `Amount`).
pub fn money(value: Decimal) -> serde_json::Value {
    serde_json::to_value(Money(value)).unwrap_or(serde_json::Value::Null)
}

/// Serializes a decimal as a JSON number.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Money(#[serde(with = "rust_decimal::serde::float")] pub Decimal);

/// A revenue event of SPEC §6.3.
#[derive(Debug, Serialize)]
pub struct RevenueEventView<'a> {
    id: &'a str,
    offer_id: &'a str,
    click_id: Option<&'a str>,
    message_id: Option<&'a str>,
    txn_id: Option<&'a str>,
    revenue: Amount,
    event_type: EventType,
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
#[derive(Debug, Serialize)]
pub struct TotalsView {
    clicks: i64,
    unique_clicks: i64,
    bot_clicks: i64,
    conversions: i64,
    revenue: Money,
    epc: Money,
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
#[derive(Debug, Serialize)]
pub struct DayView {
    date: String,
    clicks: i64,
    unique_clicks: i64,
    bot_clicks: i64,
    conversions: i64,
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
