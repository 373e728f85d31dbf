//! The offer endpoints (SPEC §3): one handler each.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{NewOffer, OfferPatch};
use trackly_store::offers::{archive_offer, find_offer, insert_offer, list_offers, update_offer};

use crate::auth::Account;
use crate::body::JsonObject;
use crate::db::run_db;
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::respond_once;
use crate::openapi::{OfferCreateRequest, OfferUpdateRequest};
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{Archived, OfferCreated, OfferList, OfferView};

/// Create an offer (SPEC §3.1).
#[utoipa::path(post, path = "/api/v2/offers", tag = "offers", request_body = OfferCreateRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for 24 hours")),
    responses(
        (status = 201, description = "Created", body = OfferCreated),
        (status = 200, description = "An idempotent replay of a 200", body = OfferCreated),
        (status = 400, description = "missing_name, missing_tracking_url, invalid_name, name_too_long, invalid_tracking_url, invalid_external_platform, invalid_payout_type, invalid_status, invalid_payout, invalid_filter_bots, invalid_metadata, invalid_external_id, invalid_advertiser_id, invalid_json, invalid_idempotency_key", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 409, description = "idempotency_conflict", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
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
        let body = OfferCreated {
            success: true,
            offer: OfferView::new(&created, &public_url),
        };
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(body).map_err(ApiError::server_error)?,
        ))
    })
    .await
}

/// List offers (SPEC §3.2).
#[utoipa::path(get, path = "/api/v2/offers", tag = "offers",
    params(
        ("status" = Option<String>, Query, description = "active, paused or archived; default every offer that is not archived"),
        ("q" = Option<String>, Query, description = "Case-insensitive part of the name, at most 255 characters"),
        ("external_platform" = Option<String>, Query, description = "tune or everflow"),
        ("external_id" = Option<String>, Query, description = "Exact external id"),
        ("advertiser_id" = Option<String>, Query, description = "Exact advertiser id"),
        ("page" = Option<u32>, Query, description = "From 1"),
        ("per_page" = Option<u32>, Query, description = "Default 50; above 100 served as 100"),
    ),
    responses(
        (status = 200, description = "One page of offers", body = OfferList),
        (status = 400, description = "invalid_status, invalid_query, invalid_external_platform, invalid_external_id, invalid_advertiser_id, invalid_pagination", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
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
    Ok(HttpResponse::Ok().json(OfferList {
        offers: offers
            .iter()
            .map(|offer| OfferView::new(offer, &state.public_url))
            .collect(),
        pagination: page.summary(total).into(),
    }))
}

/// Get one offer by id or slug (SPEC §3.3).
#[utoipa::path(get, path = "/api/v2/offers/{id}", tag = "offers",
    params(("id" = String, Path, description = "The offer's id or any of its slugs")),
    responses(
        (status = 200, description = "The offer", body = OfferView),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
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

/// Update an offer; only the fields sent change, metadata is merged (SPEC §3.4).
#[utoipa::path(method(put, patch), path = "/api/v2/offers/{id}", tag = "offers", request_body = OfferUpdateRequest,
    params(("id" = String, Path, description = "The offer's id or any of its slugs")),
    responses(
        (status = 200, description = "The updated offer", body = OfferView),
        (status = 400, description = "invalid_name, name_too_long, invalid_tracking_url, invalid_external_platform, invalid_payout_type, invalid_status, invalid_payout, invalid_filter_bots, invalid_metadata, invalid_external_id, invalid_advertiser_id, invalid_json", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
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

/// Archive an offer: a soft delete that `PUT {"status": "active"}` undoes (SPEC §3.5).
#[utoipa::path(delete, path = "/api/v2/offers/{id}", tag = "offers",
    params(("id" = String, Path, description = "The offer's id or any of its slugs")),
    responses(
        (status = 200, description = "Archived (also when it already was)", body = Archived),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
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
    Ok(HttpResponse::Ok().json(Archived {
        success: true,
        archived: true,
    }))
}
