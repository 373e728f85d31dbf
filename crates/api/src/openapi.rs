//! The OpenAPI 3.1 document of the whole API, generated from the handlers' `#[utoipa::path]`
//! attributes and the response types they serialize, served at `GET /api/v2/openapi.json`.
//! Request bodies are read leniently from JSON objects (so that a wrong type becomes the
//! field's SPEC code); the request types below describe their documented shape.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::HttpResponse;
use serde::Deserialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::error::ErrorBody;
use crate::routes::{clicks, health, offers, postbacks, redirect, revenue, stats};
use crate::views::{
    AccountStats, AccountStatsItem, Archived, BulkError, BulkSummary, ClickList, ClickView,
    DayView, Health, OfferCreated, OfferList, OfferStats, OfferView, PaginationView,
    RevenueEventView, RevenueList, RevenueRecorded, TotalsView,
};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Trackly", description = "Offer tracking for SMS and affiliate marketers: offers, tracking links, clicks, revenue and stats. Wire-compatible with the Offers part of the Trackly SMS v2 API."),
    paths(
        offers::create, offers::list, offers::get, offers::update, offers::archive,
        clicks::list, stats::offer, stats::offers,
        revenue::record, revenue::bulk, revenue::list,
        postbacks::by_click, postbacks::by_offer,
        redirect::by_code, redirect::by_slug,
        health::healthz, health::readyz, document,
    ),
    components(schemas(
        ErrorBody, OfferView, OfferCreated, OfferList, Archived, PaginationView, ClickView, ClickList,
        RevenueEventView, RevenueList, RevenueRecorded, BulkError, BulkSummary, TotalsView, DayView,
        OfferStats, AccountStatsItem, AccountStats, Health,
        OfferCreateRequest, OfferUpdateRequest, RevenueRecordRequest, RevenueBulkRequest,
    )),
    modifiers(&ApiKeyScheme),
)]
pub struct ApiDoc;

/// Adds the `X-Api-Key` security scheme.
struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "trk_ followed by 32 letters or digits",
            ))),
        );
    }
}

/// The document as JSON, built once.
pub fn document_json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        ApiDoc::openapi()
            .to_json()
            .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
    })
}

/// This document (public, no API key).
#[utoipa::path(get, path = "/api/v2/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document_json())
}

/// `tune` or `everflow`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// TUNE.
    Tune,
    /// Everflow.
    Everflow,
}

/// `cpa` or `cpc`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PayoutKind {
    /// Per action.
    Cpa,
    /// Per click.
    Cpc,
}

/// Body of `POST /api/v2/offers` (SPEC §3.1). Amounts may also be sent as numeric strings.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // documentation type: the handler reads the body through `NewOffer::from_json`
pub struct OfferCreateRequest {
    #[schema(min_length = 1, max_length = 255, example = "Summer Promo")]
    name: String,
    #[schema(
        max_length = 2048,
        example = "https://advertiser.com/track?click={click_id}"
    )]
    tracking_url: String,
    #[schema(nullable)]
    external_platform: Option<Platform>,
    #[schema(max_length = 255, nullable)]
    external_id: Option<String>,
    #[schema(max_length = 255, nullable)]
    advertiser_id: Option<String>,
    #[schema(minimum = 0, maximum = 1000000000, example = 2.5)]
    payout: Option<f64>,
    payout_type: Option<PayoutKind>,
    filter_bots: Option<bool>,
    #[schema(pattern = "^(active|paused)$")]
    status: Option<String>,
    metadata: Option<HashMap<String, String>>,
}

/// Body of `PUT`/`PATCH /api/v2/offers/{id}` (SPEC §3.4): every field optional; metadata
/// is merged and a key sent as null is removed.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // documentation type: the handler reads the body through `OfferPatch::from_json`
pub struct OfferUpdateRequest {
    #[schema(min_length = 1, max_length = 255)]
    name: Option<String>,
    #[schema(max_length = 2048)]
    tracking_url: Option<String>,
    #[schema(nullable)]
    external_platform: Option<Platform>,
    #[schema(max_length = 255, nullable)]
    external_id: Option<String>,
    #[schema(max_length = 255, nullable)]
    advertiser_id: Option<String>,
    #[schema(minimum = 0, maximum = 1000000000)]
    payout: Option<f64>,
    payout_type: Option<PayoutKind>,
    filter_bots: Option<bool>,
    #[schema(pattern = "^(active|paused|archived)$")]
    status: Option<String>,
    metadata: Option<HashMap<String, Option<String>>>,
}

/// Body of `POST /api/v2/revenue` and each bulk record (SPEC §6.1).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // documentation type: the handler reads the body through `RevenueInput::from_json`
pub struct RevenueRecordRequest {
    #[schema(minimum = 0, maximum = 1000000000)]
    revenue: Option<f64>,
    click_id: Option<String>,
    #[schema(example = "ofr_summer-promo_a1b2c3")]
    offer_id: Option<String>,
    #[schema(max_length = 64)]
    message_id: Option<String>,
    #[schema(pattern = "^(sale|click|send)$")]
    attribution_type: Option<String>,
    #[schema(pattern = "^(lead|sale|rebill|refund|chargeback|install|signup)$")]
    event_type: Option<String>,
    #[schema(max_length = 255)]
    txn_id: Option<String>,
    #[schema(example = "2026-01-10T12:30:00Z")]
    timestamp: Option<String>,
}

/// Body of `POST /api/v2/revenue/bulk` (SPEC §6.2).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // documentation type: the handler reads each record through `RevenueInput::from_json`
pub struct RevenueBulkRequest {
    #[schema(min_items = 1, max_items = 1000)]
    records: Vec<RevenueRecordRequest>,
}
