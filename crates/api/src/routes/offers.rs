//! The offer endpoints (SPEC §3): one handler each.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{NewOffer, OfferPatch};
use trackly_store::offers::{archive_offer, find_offer, insert_offer, list_offers, update_offer};

use crate::auth::Account;
use crate::body::JsonObject;
use crate::db::run_db;
use crate::error::ApiError;
use crate::idempotency::respond_once;
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::OfferView;

/// `POST /api/v2/offers` (SPEC §3.1).
pub async fn create(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonObject(body): JsonObject,
) -> Result<HttpResponse, ApiError> {
    let offer = NewOffer::from_json(&body)?;
    let public_url = state.public_url.clone();
    let redirects = state.redirects.clone();
    let owner = account.clone();
    respond_once(&state, &request, &account, &body, move |conn| {
        let created = insert_offer(conn, &owner, &offer, chrono::Utc::now())?;
        redirects.invalidate(created.code.as_str());
        let body = json!({"success": true, "offer": OfferView::new(&created, &public_url)});
        Ok((StatusCode::CREATED, body))
    })
    .await
}

/// `GET /api/v2/offers` (SPEC §3.2).
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let params = QueryParams::from_request(&request)?;
    let filter = OfferFilter::parse(|name| params.get(name))?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let (offers, total) = run_db(&state.pool, move |conn| {
        Ok(list_offers(conn, &account, &filter, page)?)
    })
    .await?;
    let views: Vec<_> = offers
        .iter()
        .map(|offer| OfferView::new(offer, &state.public_url))
        .collect();
    Ok(HttpResponse::Ok().json(json!({"offers": views, "pagination": page.summary(total)})))
}

/// `GET /api/v2/offers/{id}` (SPEC §3.3): by id or slug.
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let offer_ref = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let offer = run_db(&state.pool, move |conn| {
        Ok(find_offer(conn, &account, &offer_ref)?)
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(OfferView::new(&offer, &state.public_url)))
}

/// `PUT` / `PATCH /api/v2/offers/{id}` (SPEC §3.4).
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
    JsonObject(body): JsonObject,
) -> Result<HttpResponse, ApiError> {
    let offer_ref = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let patch = OfferPatch::from_json(&body)?;
    let offer = run_db(&state.pool, move |conn| {
        Ok(update_offer(
            conn,
            &account,
            &offer_ref,
            &patch,
            chrono::Utc::now(),
        )?)
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    state.redirects.invalidate(offer.code.as_str());
    Ok(HttpResponse::Ok().json(OfferView::new(&offer, &state.public_url)))
}

/// `DELETE /api/v2/offers/{id}` (SPEC §3.5): archives.
pub async fn archive(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let offer_ref = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let code = run_db(&state.pool, move |conn| {
        Ok(archive_offer(
            conn,
            &account,
            &offer_ref,
            chrono::Utc::now(),
        )?)
    })
    .await?;
    state.redirects.invalidate(&code);
    Ok(HttpResponse::Ok().json(json!({"success": true, "archived": true})))
}
