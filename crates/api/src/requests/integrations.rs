//! Bodies of `POST /api/v2/integrations` and `PUT /api/v2/integrations/{id}` (SPEC
//! §10.1): both read the domain's `IntegrationInput`; create needs a platform, a key and
//! an endpoint, an update keeps what it does not send.

use chrono_tz::TZ_VARIANTS;
use serde::Deserialize;
use trackly_domain::integration::{
    IntegrationInput, MessageIdField, NewIntegration, AFFILIATE_ID_MAX_DIGITS,
    PLATFORM_KEY_MAX_CHARS,
};
use trackly_domain::offer::{ExternalPlatform, TRACKING_URL_MAX_CHARS};
use trackly_domain::InputError;
use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::schema::{
    blank_or, described, nullable, one_of, or_null, text_or_count, trimmed_no_control, url,
};

/// A TUNE network id: a host label (`{network_id}.api.hasoffers.com`).
const NETWORK_ID_PATTERN: &str = "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";

/// Body of `POST /api/v2/integrations`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct IntegrationCreateRequest(pub IntegrationInput);

impl TryFrom<IntegrationCreateRequest> for NewIntegration {
    type Error = InputError;

    fn try_from(request: IntegrationCreateRequest) -> Result<Self, InputError> {
        NewIntegration::new(request.0)
    }
}

/// Body of `PUT /api/v2/integrations/{id}`: the fields to change.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct IntegrationUpdateRequest(pub IntegrationInput);

/// §10.1: the fields, with the platform and a key required, and what each platform needs
/// to be reached: TUNE a `base_url` or `network_id`; Everflow an `affiliate_id`, unless
/// it syncs no offers.
impl PartialSchema for IntegrationCreateRequest {
    fn schema() -> RefOr<Schema> {
        let fields = fields(
            trimmed_no_control(PLATFORM_KEY_MAX_CHARS)
                .min_length(Some(1))
                .into(),
        )
        .required("platform")
        .required("api_key");
        let branch = |platform: &'static str, field: &'static str, value: Schema| {
            ObjectBuilder::new()
                .required("platform")
                .property("platform", one_of([platform]))
                .required(field)
                .property(field, value)
        };
        let endpoints = AnyOfBuilder::new()
            .item(branch(
                "tune",
                "base_url",
                url(TRACKING_URL_MAX_CHARS).into(),
            ))
            .item(branch(
                "tune",
                "network_id",
                text_or_count(NETWORK_ID_PATTERN),
            ))
            .item(branch("everflow", "affiliate_id", affiliate_id()))
            .item(branch(
                "everflow",
                "sync_offers",
                ObjectBuilder::new()
                    .schema_type(Type::Boolean)
                    .enum_values(Some([false]))
                    .into(),
            ));
        Schema::AllOf(AllOfBuilder::new().item(fields).item(endpoints).build()).into()
    }
}

impl ToSchema for IntegrationCreateRequest {}

/// §10.1: any of the fields; what is not sent is kept, `null` clears an optional one
/// (and resets a flag or a choice to its default). The platform cannot change.
impl PartialSchema for IntegrationUpdateRequest {
    fn schema() -> RefOr<Schema> {
        let key = nullable(blank_or(&pattern_of(trimmed_no_control(
            PLATFORM_KEY_MAX_CHARS,
        ))));
        Schema::Object(fields(key).build()).into()
    }
}

impl ToSchema for IntegrationUpdateRequest {}

/// The properties both bodies share, with `api_key` as given.
fn fields(api_key: Schema) -> ObjectBuilder {
    let platforms = ExternalPlatform::ALL
        .iter()
        .map(|platform| platform.as_str());
    let fields = MessageIdField::ALL.iter().map(|field| field.as_str());
    let zones = TZ_VARIANTS.iter().map(|zone| zone.name());
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "platform",
            described(nullable(one_of(platforms)), "`tune` or `everflow`; fixed once made."),
        )
        .property(
            "api_key",
            described(
                api_key,
                "The platform's API key (TUNE: the NetworkToken, or an affiliate `api_key`; Everflow: a network key). Checked with the platform, stored encrypted, never shown again.",
            ),
        )
        .property(
            "base_url",
            described(
                nullable(url(TRACKING_URL_MAX_CHARS)),
                "The API endpoint. TUNE: the `…/Apiv3/json` URL (default `https://{network_id}.api.hasoffers.com/Apiv3/json`); Everflow: the API root (default `https://api.eflow.team`).",
            ),
        )
        .property(
            "network_id",
            described(
                or_null(text_or_count(NETWORK_ID_PATTERN)),
                "TUNE's network id; TUNE needs it or `base_url`.",
            ),
        )
        .property(
            "affiliate_id",
            described(
                or_null(affiliate_id()),
                "Your affiliate id on the platform. TUNE: with it, the network API makes links for this affiliate; without it, the affiliate API. Everflow: needed to sync offers.",
            ),
        )
        .property(
            "sync_offers",
            described(nullable(boolean()), "Sync the platform's offers every 15 minutes (default true)."),
        )
        .property(
            "sync_conversions",
            described(
                nullable(boolean()),
                "Import the last 7 days of conversions hourly (default true).",
            ),
        )
        .property(
            "message_id_field",
            described(
                nullable(one_of(fields)),
                "TUNE: the link parameter that carries our click id and comes back on each conversion (default `aff_sub`). Everflow always uses `sub1`.",
            ),
        )
        .property(
            "timezone",
            described(
                nullable(one_of(zones)),
                "The IANA zone TUNE writes conversion times in (default `UTC`).",
            ),
        )
}

fn affiliate_id() -> Schema {
    text_or_count(&format!("^[0-9]{{1,{AFFILIATE_ID_MAX_DIGITS}}}$"))
}

fn boolean() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Boolean)
}

/// The pattern of a string schema.
fn pattern_of(schema: ObjectBuilder) -> String {
    schema.build().pattern.unwrap_or_default()
}
