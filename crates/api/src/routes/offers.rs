//! The offer endpoints (SPEC §3): one handler each.

use actix_web::http::header::ContentType;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use trackly_app::{offers, AppError};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{InputError, NewOffer, OfferPatch};

use crate::auth::Account;
use crate::body::JsonBody;
use crate::declared::errors::ApiKeyErrors;
use crate::declared::params::{IdempotencyKeyHeader, OfferIdPath, OfferListQuery, PageQuery};
use crate::error::ApiError;
use crate::error_answers;
use crate::idempotency::{answer, once, respond};
use crate::query::QueryParams;
use crate::requests::offers::{OfferCreateRequest, OfferUpdateRequest};
use crate::state::AppState;
use crate::views::{Archived, OfferCreated, OfferList, OfferView};

/// Create an offer (SPEC §3.1).
#[utoipa::path(post, path = "/api/v2/offers", tag = "offers", operation_id = "createOffer",
    request_body = OfferCreateRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Created", body = OfferCreated),
        CreateOfferErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonBody { body, raw }: JsonBody<OfferCreateRequest>,
) -> Result<HttpResponse, ApiError> {
    let offer = NewOffer::try_from(body)?;
    let once = once(&request, &raw)?;
    let public_url = state.public_url.clone();
    let answered = offers::create(&state.app, &account, offer, once, move |created| {
        let body = OfferCreated {
            success: true,
            offer: OfferView::new(created, &public_url),
        };
        answer(StatusCode::CREATED, &body)
    })
    .await?;
    respond(answered)
}

/// List offers (SPEC §3.2).
#[utoipa::path(get, path = "/api/v2/offers", tag = "offers", operation_id = "listOffers",
    params(OfferListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of offers, newest first", body = OfferList),
        ListOffersErrors, ApiKeyErrors,
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
    let listed = offers::list(&state.app, &account, filter, page).await?;
    let body = state.offer_pages.answer(&listed, |listed| {
        serde_json::to_vec(&OfferList {
            offers: listed
                .items
                .iter()
                .map(|offer| OfferView::new(offer, &state.public_url))
                .collect(),
            pagination: listed.pagination.into(),
        })
    });
    let body = body.map_err(ApiError::server_error)?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// Get one offer by id or slug (SPEC §3.3).
#[utoipa::path(get, path = "/api/v2/offers/{id}", tag = "offers", operation_id = "getOffer",
    params(OfferIdPath),
    responses(
        (status = 200, description = "The offer", body = OfferView),
        OfferNotFound, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let offer_ref = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let offer = offers::get(&state.app, &account, offer_ref).await?;
    Ok(HttpResponse::Ok().json(OfferView::new(&offer, &state.public_url)))
}

/// Update an offer; only the fields sent change, metadata is merged (SPEC §3.4).
#[utoipa::path(put, path = "/api/v2/offers/{id}", tag = "offers", operation_id = "updateOffer",
    request_body = OfferUpdateRequest,
    params(OfferIdPath),
    responses(
        (status = 200, description = "The updated offer", body = OfferView),
        UpdateOfferErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
    JsonBody { body, .. }: JsonBody<OfferUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let offer_ref = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let patch = OfferPatch::try_from(body)?;
    let offer = offers::update(&state.app, &account, offer_ref, patch).await?;
    Ok(HttpResponse::Ok().json(OfferView::new(&offer, &state.public_url)))
}

/// `PATCH` is `PUT` (SPEC §3.4), documented as its own operation.
#[utoipa::path(patch, path = "/api/v2/offers/{id}", tag = "offers", operation_id = "patchOffer",
    request_body = OfferUpdateRequest,
    params(OfferIdPath),
    responses(
        (status = 200, description = "The updated offer", body = OfferView),
        UpdateOfferErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn patch(
    state: web::Data<AppState>,
    path: web::Path<String>,
    account: Account,
    body: JsonBody<OfferUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    update(state, path, account, body).await
}

/// Archive an offer: a soft delete that `PUT {"status": "active"}` undoes (SPEC §3.5).
#[utoipa::path(delete, path = "/api/v2/offers/{id}", tag = "offers", operation_id = "archiveOffer",
    params(OfferIdPath),
    responses(
        (status = 200, description = "Archived (also when it already was)", body = Archived),
        OfferNotFound, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn archive(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let offer_ref = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    offers::archive(&state.app, &account, offer_ref).await?;
    Ok(HttpResponse::Ok().json(Archived {
        success: true,
        archived: true,
    }))
}

error_answers! {
    /// Refusals of `POST /api/v2/offers`, in the SPEC's check order (§3.1).
    CreateOfferErrors {
        400 => [
            InputError::MissingName,
            InputError::MissingTrackingUrl,
            InputError::InvalidName,
            InputError::NameTooLong,
            InputError::InvalidTrackingUrl,
            InputError::InvalidExternalPlatform,
            InputError::InvalidPayoutType,
            InputError::InvalidStatus { allowed: "" },
            InputError::InvalidPayout,
            InputError::InvalidFilterBots,
            InputError::InvalidMetadata(""),
            InputError::InvalidExternalId,
            InputError::InvalidAdvertiserId,
            ApiError::invalid_json(""),
            InputError::InvalidIdempotencyKey,
        ],
        409 => [ApiError::from(AppError::IdempotencyConflict)],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
    }
}

error_answers! {
    /// Refusals of `GET /api/v2/offers` (SPEC §3.2).
    ListOffersErrors {
        400 => [
            InputError::InvalidStatus { allowed: "" },
            InputError::InvalidQuery { field: "", reason: "" },
            InputError::InvalidExternalPlatform,
            InputError::InvalidExternalId,
            InputError::InvalidAdvertiserId,
            InputError::InvalidPagination(""),
        ],
    }
}

error_answers! {
    /// The refusal of the operations on one offer: no such offer in the account.
    OfferNotFound {
        404 => [ApiError::not_found()],
    }
}

error_answers! {
    /// Refusals of `PUT`/`PATCH /api/v2/offers/{id}` (SPEC §3.4).
    UpdateOfferErrors {
        400 => [
            InputError::InvalidName,
            InputError::NameTooLong,
            InputError::InvalidTrackingUrl,
            InputError::InvalidExternalPlatform,
            InputError::InvalidPayoutType,
            InputError::InvalidStatus { allowed: "" },
            InputError::InvalidPayout,
            InputError::InvalidFilterBots,
            InputError::InvalidMetadata(""),
            InputError::InvalidExternalId,
            InputError::InvalidAdvertiserId,
            ApiError::invalid_json(""),
        ],
        404 => [ApiError::not_found()],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
    }
}
