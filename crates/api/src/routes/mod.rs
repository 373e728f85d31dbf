//! The route table. Unknown paths answer `404 not_found`; known paths with another method
//! answer `405 method_not_allowed` with an `Allow` header.

pub(crate) mod clicks;
pub mod document;
pub(crate) mod health;
pub(crate) mod integrations;
pub(crate) mod links;
pub(crate) mod offers;
pub(crate) mod postbacks;
pub(crate) mod redirect;
pub(crate) mod revenue;
pub(crate) mod stats;

use actix_web::http::header;
use actix_web::{web, HttpResponse, ResponseError};

use crate::docs;
use crate::error::ApiError;

/// Every resource the service serves, with the methods it allows (actix patterns). Each
/// registered resource takes its `Allow` header from here, and a test checks this table
/// against the OpenAPI document both ways.
pub const ROUTES: &[(&str, &str)] = &[
    ("/healthz", "GET"),
    ("/readyz", "GET"),
    ("/api/v2/openapi.json", "GET"),
    ("/api/v2/docs", "GET"),
    ("/api/v2/docs/{asset}", "GET"),
    ("/api/v2/offers", "GET, POST"),
    ("/api/v2/offers/{id}", "GET, PUT, PATCH, DELETE"),
    ("/api/v2/offers/{id}/clicks", "GET"),
    ("/api/v2/offers/{id}/stats", "GET"),
    ("/api/v2/stats/offers", "GET"),
    ("/api/v2/revenue", "GET, POST"),
    ("/api/v2/revenue/bulk", "POST"),
    ("/api/v2/links", "GET, POST"),
    ("/api/v2/links/shorten", "POST"),
    ("/api/v2/links/bulk", "POST"),
    ("/api/v2/links/{linkId}", "GET"),
    ("/api/v2/integrations", "GET, POST"),
    ("/api/v2/integrations/{id}", "GET, PUT, DELETE"),
    ("/api/v2/integrations/{id}/sync", "POST"),
    ("/api/v2/integrations/{id}/runs", "GET"),
    ("/conv", "GET"),
    ("/conv/offer", "GET"),
    ("/{code:[a-z0-9]{6}}", "GET, HEAD"),
    ("/{linkId:[A-Za-z0-9]{7}}", "GET, HEAD"),
    ("/c/{slug}", "GET, HEAD"),
];

/// Registers every route of the service.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(resource("/healthz").route(web::get().to(health::healthz)))
        .service(resource("/readyz").route(web::get().to(health::readyz)))
        .service(resource("/api/v2/openapi.json").route(web::get().to(document::document)))
        .service(resource("/api/v2/docs").route(web::get().to(docs::page)))
        .service(resource("/api/v2/docs/{asset}").route(web::get().to(docs::asset)))
        .service(
            web::scope("/api/v2")
                .service(
                    scoped("/offers")
                        .route(web::get().to(offers::list))
                        .route(web::post().to(offers::create)),
                )
                .service(
                    scoped("/offers/{id}")
                        .route(web::get().to(offers::get))
                        .route(web::put().to(offers::update))
                        .route(web::patch().to(offers::patch))
                        .route(web::delete().to(offers::archive)),
                )
                .service(scoped("/offers/{id}/clicks").route(web::get().to(clicks::list)))
                .service(scoped("/offers/{id}/stats").route(web::get().to(stats::offer)))
                .service(scoped("/stats/offers").route(web::get().to(stats::offers)))
                .service(
                    scoped("/revenue")
                        .route(web::get().to(revenue::list))
                        .route(web::post().to(revenue::record)),
                )
                .service(scoped("/revenue/bulk").route(web::post().to(revenue::bulk)))
                .service(
                    scoped("/links")
                        .route(web::get().to(links::list))
                        .route(web::post().to(links::create)),
                )
                .service(scoped("/links/shorten").route(web::post().to(links::shorten)))
                .service(scoped("/links/bulk").route(web::post().to(links::bulk)))
                .service(scoped("/links/{linkId}").route(web::get().to(links::get)))
                .service(
                    scoped("/integrations")
                        .route(web::get().to(integrations::list))
                        .route(web::post().to(integrations::create)),
                )
                .service(
                    scoped("/integrations/{id}")
                        .route(web::get().to(integrations::get))
                        .route(web::put().to(integrations::update))
                        .route(web::delete().to(integrations::delete)),
                )
                .service(
                    scoped("/integrations/{id}/sync").route(web::post().to(integrations::sync)),
                )
                .service(
                    scoped("/integrations/{id}/runs").route(web::get().to(integrations::runs)),
                ),
        )
        .service(resource("/conv").route(web::get().to(postbacks::by_click)))
        .service(resource("/conv/offer").route(web::get().to(postbacks::by_offer)))
        .service(
            resource("/{code:[a-z0-9]{6}}")
                .route(web::get().to(redirect::by_code))
                .route(web::head().to(redirect::head_by_code)),
        )
        .service(
            resource("/{linkId:[A-Za-z0-9]{7}}")
                .route(web::get().to(redirect::by_link))
                .route(web::head().to(redirect::head_by_link)),
        )
        .service(
            resource("/c/{slug}")
                .route(web::get().to(redirect::by_slug))
                .route(web::head().to(redirect::head_by_slug)),
        );
}

/// The answer for paths no route knows.
pub async fn not_found() -> HttpResponse {
    ApiError::not_found().error_response()
}

/// A resource under `/api/v2`, named by its path inside the scope.
fn scoped(path: &'static str) -> actix_web::Resource {
    let full = format!("/api/v2{path}");
    with_allow(path, allowed_methods(&full))
}

/// A resource at the root.
fn resource(path: &'static str) -> actix_web::Resource {
    with_allow(path, allowed_methods(path))
}

/// The methods `ROUTES` lists for `path`. Every test starts the server, so a resource
/// missing from the table fails them all.
fn allowed_methods(path: &str) -> &'static str {
    ROUTES
        .iter()
        .find(|(route, _)| *route == path)
        .map(|(_, allow)| *allow)
        .unwrap_or_else(|| panic!("route {path} is missing from routes::ROUTES"))
}

/// A resource whose unmatched methods get `405` listing `allow`.
fn with_allow(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || async move {
        let mut response = ApiError::method_not_allowed().error_response();
        if let Ok(value) = header::HeaderValue::from_str(allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        response
    }))
}
