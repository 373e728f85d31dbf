//! Connection and run answers (SPEC §10.1, §10.4). The key is never shown: only `…` and
//! its last four characters.

use chrono_tz::TZ_VARIANTS;
use serde::Serialize;
use trackly_domain::integration::{
    Integration, MessageIdField, RunStatus, SyncKind, SyncRun, MAX_RUN_ERRORS,
};
use trackly_domain::offer::ExternalPlatform;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::ToSchema;

use super::{id, time, timestamp, PaginationView};
use crate::requests::schema::{nullable, one_of};

/// A connection to TUNE or Everflow (SPEC §10.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrationView<'a> {
    #[schema(schema_with = id)]
    id: &'a str,
    #[schema(schema_with = platform)]
    platform: &'static str,
    #[schema(schema_with = nullable_text)]
    base_url: Option<&'a str>,
    #[schema(schema_with = nullable_text)]
    network_id: Option<&'a str>,
    #[schema(schema_with = nullable_text)]
    affiliate_id: Option<&'a str>,
    /// `…` and the key's last four characters; the key itself is never shown.
    #[schema(schema_with = masked_key)]
    api_key: &'a str,
    sync_offers: bool,
    sync_conversions: bool,
    #[schema(schema_with = message_id_field)]
    message_id_field: &'static str,
    #[schema(schema_with = timezone)]
    timezone: &'static str,
    #[schema(schema_with = time)]
    created_at: String,
    #[schema(schema_with = time)]
    updated_at: String,
}

impl<'a> IntegrationView<'a> {
    /// The view of `integration`.
    pub fn new(integration: &'a Integration) -> Self {
        let settings = &integration.settings;
        Self {
            id: integration.id.as_str(),
            platform: settings.platform.as_str(),
            base_url: settings.base_url.as_deref(),
            network_id: settings.network_id.as_deref(),
            affiliate_id: settings.affiliate_id.as_deref(),
            api_key: &integration.api_key_last4,
            sync_offers: settings.sync_offers,
            sync_conversions: settings.sync_conversions,
            message_id_field: settings.message_id_field.as_str(),
            timezone: settings.timezone.name(),
            created_at: timestamp(integration.created_at),
            updated_at: timestamp(integration.updated_at),
        }
    }
}

/// `201` of `POST /api/v2/integrations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrationCreated<'a> {
    /// Always true.
    pub success: bool,
    /// The new connection.
    pub integration: IntegrationView<'a>,
}

/// `200` of `GET /api/v2/integrations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrationList<'a> {
    /// The account's connections, oldest first (at most one per platform).
    pub integrations: Vec<IntegrationView<'a>>,
}

/// `200` of `DELETE /api/v2/integrations/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrationDeleted {
    /// Always true.
    pub success: bool,
    /// Always true.
    pub deleted: bool,
}

/// `202` of `POST /api/v2/integrations/{id}/sync`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncStarted {
    /// The first run started (offers, when both kinds were).
    #[schema(schema_with = id)]
    pub run_id: String,
    /// Every run started, one per kind.
    #[schema(schema_with = ids)]
    pub run_ids: Vec<String>,
}

/// A sync run (SPEC §10.4).
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRunView<'a> {
    #[schema(schema_with = id)]
    id: &'a str,
    #[schema(schema_with = kind)]
    kind: &'static str,
    #[schema(schema_with = time)]
    started_at: String,
    /// `null` while the run is going.
    #[schema(schema_with = nullable_time)]
    finished_at: Option<String>,
    /// `running` until the run ends.
    #[schema(schema_with = status)]
    status: &'static str,
    offers_created: u32,
    offers_updated: u32,
    offers_skipped: u32,
    conversions_imported: u32,
    duplicates: u32,
    unmatched: u32,
    /// Why items were skipped or unmatched, or why the run failed; at most 100.
    #[schema(schema_with = errors)]
    errors: &'a [String],
}

impl<'a> SyncRunView<'a> {
    /// The view of `run`.
    pub fn new(run: &'a SyncRun) -> Self {
        let counts = &run.counts;
        Self {
            id: run.id.as_str(),
            kind: run.kind.as_str(),
            started_at: timestamp(run.started_at),
            finished_at: run.finished_at.map(timestamp),
            status: run.status.as_str(),
            offers_created: counts.offers_created,
            offers_updated: counts.offers_updated,
            offers_skipped: counts.offers_skipped,
            conversions_imported: counts.conversions_imported,
            duplicates: counts.duplicates,
            unmatched: counts.unmatched,
            errors: &run.errors,
        }
    }
}

/// `200` of `GET /api/v2/integrations/{id}/runs`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRunList<'a> {
    /// One page of runs, newest first.
    pub runs: Vec<SyncRunView<'a>>,
    /// Where the page stands.
    pub pagination: PaginationView,
}

fn platform() -> Schema {
    Schema::Object(one_of(ExternalPlatform::ALL.iter().map(|p| p.as_str())).build())
}

fn nullable_text() -> Schema {
    nullable(ObjectBuilder::new().schema_type(Type::String))
}

fn masked_key() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^….{1,4}$"))
            .build(),
    )
}

fn message_id_field() -> Schema {
    Schema::Object(one_of(MessageIdField::ALL.iter().map(|f| f.as_str())).build())
}

fn timezone() -> Schema {
    Schema::Object(one_of(TZ_VARIANTS.iter().map(|zone| zone.name())).build())
}

fn kind() -> Schema {
    Schema::Object(one_of(SyncKind::ALL.iter().map(|k| k.as_str())).build())
}

fn status() -> Schema {
    Schema::Object(one_of(RunStatus::ALL.iter().map(|s| s.as_str())).build())
}

fn nullable_time() -> Schema {
    let Schema::Object(mut object) = time() else {
        return time();
    };
    object.schema_type = utoipa::openapi::schema::SchemaType::Array(vec![Type::String, Type::Null]);
    Schema::Object(object)
}

fn ids() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(utoipa::openapi::RefOr::T(id()))
            .min_items(Some(1))
            .max_items(Some(2))
            .build(),
    )
}

fn errors() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(Type::String))
            .max_items(Some(MAX_RUN_ERRORS))
            .build(),
    )
}
