//! Bodies of `POST /api/v2/offers` (SPEC §3.1) and `PUT /api/v2/offers/{id}` (§3.4).

use serde::Deserialize;
use trackly_domain::input::{AmountText, MetadataInput, Sent};
use trackly_domain::offer::{
    ExternalPlatform, OfferInput, OfferPatchInput, OfferStatus, PayoutType, EXTERNAL_REF_MAX_CHARS,
    METADATA_KEY_MAX_CHARS, METADATA_MAX_KEYS, METADATA_VALUE_MAX_CHARS, NAME_MAX_CHARS,
    TRACKING_URL_MAX_CHARS,
};
use trackly_domain::{InputError, NewOffer, OfferPatch};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::ToSchema;

use super::schema::{amount, nullable, one_of, or_null, storable, string_map, trimmed_text, url};

/// Body of `POST /api/v2/offers` (SPEC §3.1). `null` on an optional field takes its
/// default; unknown fields are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OfferCreateRequest {
    /// 1–255 characters once trimmed.
    #[schema(schema_with = name, required = true)]
    pub name: Sent<String>,
    /// Where clicks go: an absolute http(s) URL with a host, with macros such as
    /// `{click_id}` and `{sub1}`.
    #[schema(schema_with = tracking_url, required = true)]
    pub tracking_url: Sent<String>,
    /// The affiliate platform the offer comes from.
    #[schema(schema_with = platform)]
    pub external_platform: Sent<String>,
    /// The offer's id on that platform.
    #[schema(schema_with = reference)]
    pub external_id: Sent<String>,
    /// The advertiser's id.
    #[schema(schema_with = reference)]
    pub advertiser_id: Sent<String>,
    /// Default 0; a number or a numeric string.
    #[schema(schema_with = payout)]
    pub payout: Sent<AmountText>,
    /// Default `cpa`.
    #[schema(schema_with = payout_type)]
    pub payout_type: Sent<String>,
    /// Default `false`: leave bot clicks out of the stats.
    #[schema(schema_with = flag)]
    pub filter_bots: Sent<bool>,
    /// Default `active`.
    #[schema(schema_with = create_status)]
    pub status: Sent<String>,
    /// String labels; default `{}`.
    #[schema(schema_with = metadata)]
    pub metadata: Sent<MetadataInput>,
}

impl TryFrom<OfferCreateRequest> for NewOffer {
    type Error = InputError;

    fn try_from(request: OfferCreateRequest) -> Result<Self, InputError> {
        NewOffer::try_from(OfferInput {
            name: request.name,
            tracking_url: request.tracking_url,
            external_platform: request.external_platform,
            external_id: request.external_id,
            advertiser_id: request.advertiser_id,
            payout: request.payout,
            payout_type: request.payout_type,
            filter_bots: request.filter_bots,
            status: request.status,
            metadata: request.metadata,
        })
    }
}

/// Body of `PUT`/`PATCH /api/v2/offers/{id}` (SPEC §3.4): only the fields sent change;
/// `null` clears the platform references; metadata is merged, a key sent as `null` is
/// removed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OfferUpdateRequest {
    /// 1–255 characters once trimmed.
    #[schema(schema_with = name)]
    pub name: Sent<String>,
    /// An absolute http(s) URL with a host.
    #[schema(schema_with = tracking_url)]
    pub tracking_url: Sent<String>,
    /// The affiliate platform, or `null` to clear.
    #[schema(schema_with = platform)]
    pub external_platform: Sent<String>,
    /// The offer's id on that platform, or `null` to clear.
    #[schema(schema_with = reference)]
    pub external_id: Sent<String>,
    /// The advertiser's id, or `null` to clear.
    #[schema(schema_with = reference)]
    pub advertiser_id: Sent<String>,
    /// A number or a numeric string.
    #[schema(schema_with = payout_update)]
    pub payout: Sent<AmountText>,
    /// `cpa` or `cpc`.
    #[schema(schema_with = payout_type_update)]
    pub payout_type: Sent<String>,
    /// Leave bot clicks out of the stats.
    #[schema(schema_with = flag_update)]
    pub filter_bots: Sent<bool>,
    /// `archived` is a soft delete; `active` restores.
    #[schema(schema_with = update_status)]
    pub status: Sent<String>,
    /// Keys to set, or to remove (`null`); other keys stay.
    #[schema(schema_with = metadata_merge)]
    pub metadata: Sent<MetadataInput>,
}

impl TryFrom<OfferUpdateRequest> for OfferPatch {
    type Error = InputError;

    fn try_from(request: OfferUpdateRequest) -> Result<Self, InputError> {
        OfferPatch::try_from(OfferPatchInput {
            name: request.name,
            tracking_url: request.tracking_url,
            external_platform: request.external_platform,
            external_id: request.external_id,
            advertiser_id: request.advertiser_id,
            payout: request.payout,
            payout_type: request.payout_type,
            filter_bots: request.filter_bots,
            status: request.status,
            metadata: request.metadata,
        })
    }
}

fn name() -> Schema {
    Schema::Object(
        trimmed_text(NAME_MAX_CHARS)
            .examples(["Summer Promo"])
            .build(),
    )
}

fn tracking_url() -> Schema {
    Schema::Object(
        url(TRACKING_URL_MAX_CHARS)
            .examples(["https://advertiser.com/track?click={click_id}"])
            .build(),
    )
}

fn platform() -> Schema {
    nullable(one_of(ExternalPlatform::ALL.iter().map(|p| p.as_str())))
}

fn reference() -> Schema {
    nullable(storable(EXTERNAL_REF_MAX_CHARS))
}

/// Create: an amount, or `null` for the default.
fn payout() -> Schema {
    or_null(amount())
}

/// Update: an amount (`null` is not one).
fn payout_update() -> Schema {
    amount()
}

fn payout_type() -> Schema {
    nullable(one_of(PayoutType::ALL.iter().map(|p| p.as_str())))
}

fn payout_type_update() -> Schema {
    Schema::Object(one_of(PayoutType::ALL.iter().map(|p| p.as_str())).build())
}

fn flag() -> Schema {
    nullable(ObjectBuilder::new().schema_type(Type::Boolean))
}

fn flag_update() -> Schema {
    Schema::Object(ObjectBuilder::new().schema_type(Type::Boolean).build())
}

fn create_status() -> Schema {
    nullable(one_of([
        OfferStatus::Active.as_str(),
        OfferStatus::Paused.as_str(),
    ]))
}

fn update_status() -> Schema {
    Schema::Object(one_of(OfferStatus::ALL.iter().map(|s| s.as_str())).build())
}

fn metadata() -> Schema {
    or_null(string_map(
        METADATA_MAX_KEYS,
        METADATA_KEY_MAX_CHARS,
        METADATA_VALUE_MAX_CHARS,
        false,
    ))
}

fn metadata_merge() -> Schema {
    string_map(
        METADATA_MAX_KEYS,
        METADATA_KEY_MAX_CHARS,
        METADATA_VALUE_MAX_CHARS,
        true,
    )
}
