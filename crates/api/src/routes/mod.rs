//! The route table. Unknown paths answer `404 not_found`; known paths with another method
//! answer `405 method_not_allowed` with an `Allow` header.

mod clicks;
mod health;
mod offers;
mod postbacks;
mod redirect;
mod revenue;
mod stats;

use actix_web::http::header;
use actix_web::{web, HttpResponse, ResponseError};

use crate::error::ApiError;

/// Registers every route of the service.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(resource("/healthz", "GET").route(web::get().to(health::healthz)))
        .service(resource("/readyz", "GET").route(web::get().to(health::readyz)))
        .service(
            web::scope("/api/v2")
                .service(
                    resource("/offers", "GET, POST")
                        .route(web::get().to(offers::list))
                        .route(web::post().to(offers::create)),
                )
                .service(
                    resource("/offers/{id}", "GET, PUT, PATCH, DELETE")
                        .route(web::get().to(offers::get))
                        .route(web::put().to(offers::update))
                        .route(web::patch().to(offers::update))
                        .route(web::delete().to(offers::archive)),
                )
                .service(resource("/offers/{id}/clicks", "GET").route(web::get().to(clicks::list)))
                .service(resource("/offers/{id}/stats", "GET").route(web::get().to(stats::offer)))
                .service(resource("/stats/offers", "GET").route(web::get().to(stats::offers)))
                .service(
                    resource("/revenue", "GET, POST")
                        .route(web::get().to(revenue::list))
                        .route(web::post().to(revenue::record)),
                )
                .service(resource("/revenue/bulk", "POST").route(web::post().to(revenue::bulk))),
        )
        .service(resource("/conv", "GET").route(web::get().to(postbacks::postback)))
        .service(resource("/conv/offer", "GET").route(web::get().to(postbacks::postback)))
        .service(
            resource("/{code:[a-z0-9]{6}}", "GET, HEAD")
                .route(web::get().to(redirect::by_code))
                .route(web::head().to(redirect::by_code)),
        )
        .service(
            resource("/c/{slug}", "GET, HEAD")
                .route(web::get().to(redirect::by_slug))
                .route(web::head().to(redirect::by_slug)),
        );
}

/// The answer for paths no route knows.
pub async fn not_found() -> HttpResponse {
    ApiError::not_found().error_response()
}

/// A resource whose unmatched methods get `405` listing `allow`.
fn resource(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || async move {
        let mut response = ApiError::method_not_allowed().error_response();
        if let Ok(value) = header::HeaderValue::from_str(allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        response
    }))
}
