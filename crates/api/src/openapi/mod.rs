//! The OpenAPI 3.1 document of the whole API, generated from the handlers'
//! `#[utoipa::path]` attributes, the request types they read and the response types they
//! serialize, served at `GET /api/v2/openapi.json` (SPEC §13). Every constraint the
//! server checks is declared, from the domain's own limits; the conventions every answer
//! follows (`X-Request-Id`, credentials) are added by `Conventions`.

use std::sync::OnceLock;

use serde_json::Value;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{RefOr, Required};
use utoipa::{Modify, OpenApi};

use crate::docs;
use crate::error::ErrorBody;
use crate::request_id::MAX_REQUEST_ID_CHARS;
use crate::requests::integrations::{IntegrationCreateRequest, IntegrationUpdateRequest};
use crate::requests::links::{BulkLinksRequest, PartnerLinkRequest, ShortenLinkRequest};
use crate::requests::offers::{OfferCreateRequest, OfferUpdateRequest};
use crate::requests::revenue::{RevenueBulkRequest, RevenueRecordRequest};
use crate::routes::{
    clicks, document, health, integrations, links, offers, postbacks, redirect, revenue, stats,
};
use crate::views::integrations::{
    IntegrationCreated, IntegrationDeleted, IntegrationList, IntegrationView, SyncRunList,
    SyncRunView, SyncStarted,
};
use crate::views::links::{
    LinkBulkSummary, LinkCreated, LinkList, LinkRead, LinkStatsView, LinkView,
};
use crate::views::{
    AccountStats, AccountStatsItem, Archived, BulkError, BulkSummary, ClickList, ClickView,
    DayView, Health, OfferCreated, OfferList, OfferStats, OfferView, PaginationView,
    RevenueEventView, RevenueList, RevenueRecorded, TotalsView,
};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Trackly", description = "Offer tracking for SMS and affiliate marketers: offers, tracking links, clicks, revenue and stats. Wire-compatible with the Offers and Links parts of the Trackly SMS v2 API. A readable version of this document is served at /api/v2/docs."),
    paths(
        offers::create, offers::list, offers::get, offers::update, offers::patch, offers::archive,
        clicks::list, stats::offer, stats::offers,
        revenue::record, revenue::bulk, revenue::list,
        postbacks::by_click, postbacks::by_offer,
        links::shorten, links::create, links::bulk, links::get, links::list,
        integrations::create, integrations::list, integrations::get, integrations::update,
        integrations::delete, integrations::sync, integrations::runs,
        redirect::by_code, redirect::head_by_code, redirect::by_slug, redirect::head_by_slug,
        redirect::by_link, redirect::head_by_link,
        health::healthz, health::readyz, document::document, docs::page, docs::asset,
    ),
    components(schemas(
        ErrorBody, OfferView, OfferCreated, OfferList, Archived, PaginationView, ClickView, ClickList,
        RevenueEventView, RevenueList, RevenueRecorded, BulkError, BulkSummary, TotalsView, DayView,
        OfferStats, AccountStatsItem, AccountStats, Health,
        OfferCreateRequest, OfferUpdateRequest, RevenueRecordRequest, RevenueBulkRequest,
        ShortenLinkRequest, PartnerLinkRequest, BulkLinksRequest,
        LinkView, LinkCreated, LinkRead, LinkStatsView, LinkList, LinkBulkSummary,
        IntegrationCreateRequest, IntegrationUpdateRequest, IntegrationView, IntegrationCreated,
        IntegrationList, IntegrationDeleted, SyncStarted, SyncRunView, SyncRunList,
    )),
    modifiers(&Conventions),
)]
pub struct ApiDoc;

/// The response headers that are not on every answer they are declared on.
const OPTIONAL_HEADERS: &[&str] = &[IDEMPOTENT_REPLAYED];
/// The header on idempotent replays (SPEC §1.7).
const IDEMPOTENT_REPLAYED: &str = "Idempotent-Replayed";
/// The request id header (SPEC §1.9).
const REQUEST_ID: &str = "X-Request-Id";

/// What every operation shares: the credentials, `X-Request-Id` on every request and
/// answer, and `Idempotent-Replayed` on the answers of idempotent operations.
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "trk_ followed by 32 letters or digits (SPEC §1.2)",
            ))),
        );
        components.add_security_scheme(
            "postback_secret",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "postback_secret",
                "The account's postback secret (SPEC §6.4)",
            ))),
        );
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
            ]
            .into_iter()
            .flatten()
            {
                let parameters = operation.parameters.get_or_insert_with(Vec::new);
                let idempotent = parameters
                    .iter()
                    .any(|parameter| parameter.name == "Idempotency-Key");
                parameters.push(request_id_parameter());
                for (status, answer) in operation.responses.responses.iter_mut() {
                    let RefOr::T(answer) = answer else { continue };
                    answer.headers.insert(
                        REQUEST_ID.to_owned(),
                        HeaderBuilder::new()
                            .schema(
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .pattern(Some(request_id_pattern())),
                            )
                            .description(Some(
                                "The request's id: the one sent when usable, else a new one",
                            ))
                            .build(),
                    );
                    if idempotent && status.starts_with('2') {
                        answer.headers.insert(
                            IDEMPOTENT_REPLAYED.to_owned(),
                            HeaderBuilder::new()
                                .schema(
                                    ObjectBuilder::new()
                                        .schema_type(Type::String)
                                        .enum_values(Some(["true"])),
                                )
                                .description(Some(
                                    "Present when this repeats the first answer for the Idempotency-Key",
                                ))
                                .build(),
                        );
                    }
                }
            }
        }
    }
}

/// `X-Request-Id` as a request header: any value is accepted; a usable one is echoed.
fn request_id_parameter() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(REQUEST_ID)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(format!(
            "Echoed in the answer when it is 1–{MAX_REQUEST_ID_CHARS} visible ASCII characters; otherwise the answer carries a new id"
        )))
        .build()
}

/// The ids an answer's `X-Request-Id` carries.
fn request_id_pattern() -> String {
    format!("^[!-~]{{1,{MAX_REQUEST_ID_CHARS}}}$")
}

/// The document as JSON, built once, for `routes::document` (the server hands it over as
/// app data, so the routes need not know how it is assembled). Response headers are
/// marked required where every answer carries them (utoipa's `Header` has no
/// `required`).
pub fn document_json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_json::to_value(ApiDoc::openapi())
            .map(|mut document| {
                mark_required_headers(&mut document);
                document.to_string()
            })
            .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
    })
}

/// Sets `required: true` on every response header but the optional ones.
fn mark_required_headers(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let operations = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    let answers = operations
        .filter_map(|operation| operation.get_mut("responses"))
        .filter_map(Value::as_object_mut)
        .flat_map(|responses| responses.values_mut());
    for answer in answers {
        let headers = answer.get_mut("headers").and_then(Value::as_object_mut);
        for (name, header) in headers.into_iter().flatten() {
            if let Some(header) = header.as_object_mut() {
                if !OPTIONAL_HEADERS.contains(&name.as_str()) {
                    header.insert("required".to_owned(), Value::Bool(true));
                }
            }
        }
    }
}
