//! Link answers (SPEC §9.1–§9.5), in Trackly SMS's camelCase.

use serde::Serialize;
use trackly_domain::link::{Link, LinkBulkOutcome, LinkStats};
use trackly_domain::offer::Metadata;
use trackly_domain::ObjectId;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::ToSchema;

use super::{nullable_id, time, timestamp, uri, BulkError, Money, PaginationView};
use crate::declared::link_params::link_id_pattern;
use crate::requests::links::phone_pattern;
use crate::requests::schema::nullable;

/// Where short links live: `TRACKLY_PUBLIC_URL` and its host.
#[derive(Debug, Clone)]
pub struct LinkBase {
    /// The public URL, without a trailing slash.
    pub public_url: String,
    /// Its host, the answers' `domain`.
    pub domain: String,
}

/// A link (SPEC §9.1): Trackly SMS's fields and ours (`listId`, `phoneNumber`,
/// `contactPhone`, `metadata`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkView<'a> {
    /// `TRACKLY_PUBLIC_URL/<linkId>`.
    #[schema(schema_with = uri)]
    short_url: String,
    /// 7 letters or digits.
    #[schema(schema_with = link_id)]
    link_id: &'a str,
    /// The offer's `tracking_url` (macros unreplaced) or the link's `url`, as sent.
    destination_url: &'a str,
    /// The short link's host.
    domain: &'a str,
    /// The offer; `null` in URL mode.
    #[schema(schema_with = nullable_id)]
    offer_id: Option<&'a str>,
    /// The offer's bot filter; `false` in URL mode.
    filter_bots: bool,
    /// Your message id.
    message_id: Option<&'a str>,
    /// The contact list.
    list_id: Option<&'a str>,
    /// The phone number the link was made for.
    #[schema(schema_with = nullable_phone)]
    phone_number: Option<&'a str>,
    /// The contact the message goes to.
    #[schema(schema_with = nullable_phone)]
    contact_phone: Option<&'a str>,
    /// String labels.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    metadata: &'a Metadata,
    /// When it was made.
    #[schema(schema_with = time)]
    created_at: String,
}

impl<'a> LinkView<'a> {
    /// The view of `link`, its short link under `base`.
    pub fn new(link: &'a Link, base: &'a LinkBase) -> Self {
        Self {
            short_url: short_url(link, base),
            link_id: link.id.as_str(),
            destination_url: &link.destination_url,
            domain: &base.domain,
            offer_id: link.offer_id.as_ref().map(ObjectId::as_str),
            filter_bots: link.filter_bots,
            message_id: link.message_id.as_deref(),
            list_id: link.list_id.as_deref(),
            phone_number: link.phone_number.as_ref().map(|phone| phone.as_str()),
            contact_phone: link.contact_phone.as_ref().map(|phone| phone.as_str()),
            metadata: &link.metadata,
            created_at: timestamp(link.created_at),
        }
    }
}

fn short_url(link: &Link, base: &LinkBase) -> String {
    format!("{}/{}", base.public_url, link.id)
}

/// `201` of `POST /api/v2/links/shorten` and `POST /api/v2/links`, and an item of the
/// bulk answer (SPEC §9.1–§9.3).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkCreated<'a> {
    /// Always `true`.
    success: bool,
    /// The link.
    #[serde(flatten)]
    link: LinkView<'a>,
    /// §9.2 only: equal to `shortUrl`, as the short link records the click itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = uri)]
    click_tracker_url: Option<String>,
}

impl<'a> LinkCreated<'a> {
    /// The §9.1 answer for `link`.
    pub fn shortened(link: &'a Link, base: &'a LinkBase) -> Self {
        Self {
            success: true,
            link: LinkView::new(link, base),
            click_tracker_url: None,
        }
    }

    /// The §9.2 answer for `link`: with `clickTrackerUrl`.
    pub fn for_platform(link: &'a Link, base: &'a LinkBase) -> Self {
        Self {
            click_tracker_url: Some(short_url(link, base)),
            ..Self::shortened(link, base)
        }
    }
}

/// A link's counts (SPEC §9.5).
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkStatsView {
    /// Clicks counted as the offer counts them (bots left out when it filters them).
    clicks: i64,
    /// People's first clicks on the message.
    first_clicks: i64,
    /// Bot clicks, always.
    bot_clicks: i64,
    /// Conversions credited to the link's clicks.
    conversions: i64,
    /// Their revenue minus refunds and chargebacks (plus the payout per counted click of a
    /// cpc offer).
    #[schema(value_type = f64)]
    revenue: Money,
}

impl From<LinkStats> for LinkStatsView {
    fn from(stats: LinkStats) -> Self {
        Self {
            clicks: stats.clicks,
            first_clicks: stats.first_clicks,
            bot_clicks: stats.bot_clicks,
            conversions: stats.conversions,
            revenue: Money(stats.revenue.normalize()),
        }
    }
}

/// `200` of `GET /api/v2/links/{linkId}` (SPEC §9.5): the §9.1 answer and `stats`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkRead<'a> {
    /// Always `true`.
    success: bool,
    /// The link.
    #[serde(flatten)]
    link: LinkView<'a>,
    /// Its counts, all time.
    stats: LinkStatsView,
}

impl<'a> LinkRead<'a> {
    /// The answer for `link` and its `stats`.
    pub fn new(link: &'a Link, stats: LinkStats, base: &'a LinkBase) -> Self {
        Self {
            success: true,
            link: LinkView::new(link, base),
            stats: stats.into(),
        }
    }
}

/// `200` of `GET /api/v2/links` (SPEC §9.5).
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkList<'a> {
    /// One page of links, newest first.
    pub links: Vec<LinkView<'a>>,
    /// Where the page stands.
    pub pagination: PaginationView,
}

/// `200` of `POST /api/v2/links/bulk` (SPEC §9.3).
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkBulkSummary<'a> {
    /// Links made.
    success_count: usize,
    /// Records refused.
    error_count: usize,
    /// One entry per record, in input order: the §9.1 answer, or `null` where refused.
    links: Vec<Option<LinkCreated<'a>>>,
    /// Every refusal, in input order.
    errors: Vec<BulkError>,
}

impl<'a> LinkBulkSummary<'a> {
    /// The answer for a batch's outcome.
    pub fn new(outcome: &'a LinkBulkOutcome, base: &'a LinkBase) -> Self {
        Self {
            success_count: outcome.success_count(),
            error_count: outcome.failures.len(),
            links: outcome
                .links
                .iter()
                .map(|link| link.as_ref().map(|link| LinkCreated::shortened(link, base)))
                .collect(),
            errors: outcome.failures.iter().map(BulkError::from).collect(),
        }
    }
}

fn link_id() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(link_id_pattern()))
            .build(),
    )
}

fn nullable_phone() -> Schema {
    nullable(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(phone_pattern())),
    )
}
