//! The dashboard's pages and the `/app` scope that serves them.

pub(crate) mod home;
mod integrations;
mod links;
mod offer;
mod offer_form;
mod offers;
mod overview;
mod params;
mod sign_in;
mod stats_table;

use actix_web::dev::HttpServiceFactory;
use actix_web::{error, web, HttpRequest, HttpResponse, ResponseError};

use crate::assets;
use crate::error::WebError;
use crate::security;
use crate::WebState;

/// Every page under `/app`, with the dashboard's headers; unknown paths get the
/// dashboard's not-found page.
pub(crate) fn scope(state: web::Data<WebState>) -> impl HttpServiceFactory {
    web::scope("/app")
        .app_data(state)
        .wrap(security::headers())
        .app_data(web::FormConfig::default().error_handler(unreadable))
        .route("", web::get().to(overview::show))
        .route("/", web::get().to(overview::show))
        .route("/sign-in", web::get().to(sign_in::form))
        .route("/sign-in", web::post().to(sign_in::submit))
        .route("/sign-out", web::post().to(sign_in::sign_out))
        .route("/offers", web::get().to(offers::list))
        .route("/offers", web::post().to(offer_form::create))
        .route("/offers/new", web::get().to(offer_form::new))
        .route("/offers/{offer}", web::get().to(offer::show))
        .route("/offers/{offer}", web::post().to(offer_form::update))
        .route("/offers/{offer}/edit", web::get().to(offer_form::edit))
        .route("/links", web::get().to(links::list))
        .route("/integrations", web::get().to(integrations::list))
        .route("/assets/{name}", web::get().to(assets::serve))
        .default_service(web::to(not_found))
}

/// A form that cannot be read at all (not a form, or too large): the dashboard's 400
/// page.
fn unreadable(cause: impl std::fmt::Display, _: &HttpRequest) -> actix_web::Error {
    let refused = WebError::BadForm(cause.to_string());
    error::InternalError::from_response(cause.to_string(), refused.error_response()).into()
}

/// Paths under `/app` that no page serves.
async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}

/// An HTML page answer.
pub(crate) fn html(markup: maud::Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// A `303 See Other` to `location` (after a form).
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}
