//! Revenue endpoints (SPEC §6.1–§6.3): record one event, record a batch, list.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use trackly_app::{revenue, AppError};
use trackly_domain::query::Page;
use trackly_domain::revenue::{Recorded, RevenueFilter, Unattributed, MAX_BULK_RECORDS};
use trackly_domain::InputError;

use crate::auth::Account;
use crate::body::JsonBody;
use crate::declared::errors::ApiKeyErrors;
use crate::declared::params::{DaysQuery, IdempotencyKeyHeader, PageQuery, RevenueListQuery};
use crate::error::ApiError;
use crate::error_answers;
use crate::idempotency::{answer, once, respond};
use crate::query::QueryParams;
use crate::requests::revenue::{RevenueBulkRequest, RevenueRecordRequest};
use crate::state::AppState;
use crate::views::{BulkSummary, RevenueEventView, RevenueList, RevenueRecorded};

/// Record one revenue event (SPEC §6.1).
#[utoipa::path(post, path = "/api/v2/revenue", tag = "revenue", operation_id = "recordRevenue",
    request_body = RevenueRecordRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Recorded", body = RevenueRecorded),
        (status = 200, description = "The txn_id was recorded before: the first event, with duplicate true", body = RevenueRecorded),
        RecordRevenueErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn record(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonBody { body, raw }: JsonBody<RevenueRecordRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_input(chrono::Utc::now())?;
    let once = once(&request, &raw)?;
    let answered = revenue::record(&state.app, &account, input, once, |recorded| {
        answer(recorded_status(recorded), &RevenueRecorded::new(recorded))
    })
    .await?;
    respond(answered)
}

/// 201 for an event stored now, 200 for the first event of a repeated `txn_id`.
pub fn recorded_status(recorded: &Recorded) -> StatusCode {
    if recorded.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

/// Record up to 1,000 revenue events; each stands alone (SPEC §6.2). One database round
/// trip records all the valid ones.
#[utoipa::path(post, path = "/api/v2/revenue/bulk", tag = "revenue", operation_id = "recordRevenueBulk",
    request_body = RevenueBulkRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 200, description = "What happened to each record", body = BulkSummary),
        BulkRevenueErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn bulk(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonBody { body, raw }: JsonBody<RevenueBulkRequest>,
) -> Result<HttpResponse, ApiError> {
    let records = body.into_inputs(chrono::Utc::now())?;
    let once = once(&request, &raw)?;
    let answered = revenue::record_bulk(&state.app, &account, records, once, |outcome| {
        answer(StatusCode::OK, &BulkSummary::new(outcome))
    })
    .await?;
    respond(answered)
}

/// List revenue events, newest occurrence first (SPEC §6.3).
#[utoipa::path(get, path = "/api/v2/revenue", tag = "revenue", operation_id = "listRevenue",
    params(RevenueListQuery, DaysQuery, PageQuery),
    responses(
        (status = 200, description = "One page of events, newest occurrence first", body = RevenueList),
        ListRevenueErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let params = QueryParams::from_request(&request)?;
    let filter = RevenueFilter::parse(|name| params.get(name))?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let listed = revenue::list(&state.app, &account, filter, page).await?;
    Ok(HttpResponse::Ok().json(RevenueList {
        revenue: listed.items.iter().map(RevenueEventView::new).collect(),
        pagination: listed.pagination.into(),
    }))
}

error_answers! {
    /// Refusals of `POST /api/v2/revenue`, in the SPEC's check order (§6.1).
    RecordRevenueErrors {
        400 => [
            InputError::InvalidRevenue,
            InputError::InvalidClickId,
            InputError::InvalidOfferId,
            InputError::MissingOfferId,
            InputError::InvalidMessageId,
            InputError::InvalidAttributionType,
            InputError::InvalidEventType,
            InputError::InvalidTxnId,
            InputError::InvalidTimestamp,
            Unattributed::OfferMismatch,
            ApiError::invalid_json(""),
            InputError::InvalidIdempotencyKey,
        ],
        404 => [Unattributed::ClickNotFound, Unattributed::OfferNotFound],
        409 => [
            Unattributed::AmbiguousOffer,
            ApiError::from(AppError::IdempotencyConflict),
        ],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
    }
}

error_answers! {
    /// Refusals of `POST /api/v2/revenue/bulk` (SPEC §6.2); a record's own refusal is
    /// listed in the 200 answer instead.
    BulkRevenueErrors {
        400 => [
            InputError::MissingRecords,
            ApiError::invalid_json(""),
            InputError::InvalidIdempotencyKey,
        ],
        409 => [ApiError::from(AppError::IdempotencyConflict)],
        413 => [
            ApiError::from(AppError::TooManyRecords { max: MAX_BULK_RECORDS }),
            ApiError::payload_too_large(),
        ],
        415 => [ApiError::unsupported_media_type()],
    }
}

error_answers! {
    /// Refusals of `GET /api/v2/revenue` (SPEC §6.3).
    ListRevenueErrors {
        400 => [
            InputError::InvalidEventType,
            InputError::InvalidDateRange(""),
            InputError::InvalidQuery { field: "", reason: "" },
            InputError::InvalidPagination(""),
        ],
    }
}
