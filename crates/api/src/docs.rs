//! The API's human-readable docs at `GET /api/v2/docs` (public, like the document):
//! Swagger UI rendering `/api/v2/openapi.json`. Every asset is embedded in the binary
//! (nothing from a CDN, nothing fetched at build time; see `assets/swagger-ui/README.md`),
//! and the page runs under `Content-Security-Policy: default-src 'self'` (no inline
//! script or style; only Swagger UI's icons are `data:` images).

use actix_web::http::header;
use actix_web::{web, HttpResponse, ResponseError};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::error_answers;

/// The vendored Swagger UI's version, as a literal for `concat!`.
macro_rules! swagger_ui_version {
    () => {
        "5.35.0"
    };
}

/// The vendored Swagger UI's version: part of its assets' URLs, so a new version is a
/// new URL and a year of caching is safe.
pub const SWAGGER_UI_VERSION: &str = swagger_ui_version!();

/// The policy the page and its assets are served with.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:";

/// How long browsers keep the versioned assets.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The page and the unversioned start script are checked again on every visit.
const REVALIDATE: &str = "no-cache";

/// An embedded file under `/api/v2/docs/`.
struct Asset {
    /// Its name in the URL.
    name: &'static str,
    /// Its media type.
    content_type: &'static str,
    /// Its bytes.
    body: &'static [u8],
    /// Its `Cache-Control`.
    cache: &'static str,
}

/// Every asset the page loads.
const ASSETS: [Asset; 3] = [
    Asset {
        name: concat!("swagger-ui-", swagger_ui_version!(), ".css"),
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/swagger-ui/swagger-ui.css"),
        cache: IMMUTABLE,
    },
    Asset {
        name: concat!("swagger-ui-bundle-", swagger_ui_version!(), ".js"),
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js"),
        cache: IMMUTABLE,
    },
    Asset {
        name: "trackly-docs.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/docs.js"),
        cache: REVALIDATE,
    },
];

/// The page: Swagger UI on this API's document.
#[utoipa::path(get, path = "/api/v2/docs", tag = "operations", operation_id = "getApiDocs",
    responses((status = 200, description = "The docs page (Swagger UI); its scripts and styles are served under /api/v2/docs/",
        content_type = "text/html", body = String)))]
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::CACHE_CONTROL, REVALIDATE))
        .body(include_str!("../assets/docs.html").replace("{version}", SWAGGER_UI_VERSION))
}

/// A script or stylesheet of the docs page.
#[utoipa::path(get, path = "/api/v2/docs/{asset}", tag = "operations", operation_id = "getApiDocsAsset",
    params(AssetPath),
    responses(
        (status = 200, description = "The file", content(
            (String = "text/css"),
            (String = "text/javascript"),
        )),
        AssetErrors,
    ))]
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|asset| asset.name == name.as_str()) {
        Some(asset) => HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
            .insert_header((header::CACHE_CONTROL, asset.cache))
            .body(asset.body),
        None => ApiError::not_found().error_response(),
    }
}

/// `{asset}`: the name of one of the page's files.
pub struct AssetPath;

impl IntoParams for AssetPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("asset")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(ASSETS.iter().map(|asset| asset.name)))
                    .build(),
            )))
            .description(Some("The file's name; any other is 404"))
            .build()]
    }
}

error_answers! {
    /// The refusal of an asset: no file of that name.
    AssetErrors {
        404 => [ApiError::not_found()],
    }
}
