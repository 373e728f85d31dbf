//! Revenue endpoints (SPEC §6.1–§6.3): record one event, record a batch, list.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use rust_decimal::Decimal;
use serde_json::Value;
use trackly_domain::query::Page;
use trackly_domain::revenue::{RevenueFilter, RevenueInput};
use trackly_domain::{InputError, ObjectId};
use trackly_store::revenue::{list_revenue, record_revenue, RecordOutcome, Recorded};
use trackly_store::PgConnection;

use crate::auth::Account;
use crate::body::JsonObject;
use crate::db::run_db;
use crate::error::{ApiError, ErrorBody};
use crate::idempotency::{respond_once, WorkResult};
use crate::openapi::{RevenueBulkRequest, RevenueRecordRequest};
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{BulkError, BulkSummary, Money, RevenueEventView, RevenueList, RevenueRecorded};

/// The most records one bulk request may carry.
pub const MAX_BULK_RECORDS: usize = 1_000;
/// The most per-record errors a bulk answer lists.
const MAX_LISTED_ERRORS: usize = 100;

/// Record one revenue event (SPEC §6.1).
#[utoipa::path(post, path = "/api/v2/revenue", tag = "revenue", request_body = RevenueRecordRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for 24 hours")),
    responses(
        (status = 201, description = "Recorded", body = RevenueRecorded),
        (status = 200, description = "The txn_id was recorded before: the first event, with duplicate true", body = RevenueRecorded),
        (status = 400, description = "invalid_revenue, invalid_click_id, missing_offer_id, invalid_offer_id, invalid_message_id, invalid_attribution_type, invalid_event_type, invalid_txn_id, invalid_timestamp, offer_mismatch, invalid_json, invalid_idempotency_key", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "click_not_found, offer_not_found", body = ErrorBody),
        (status = 409, description = "ambiguous_offer, idempotency_conflict", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn record(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonObject(body): JsonObject,
) -> Result<HttpResponse, ApiError> {
    let input = RevenueInput::from_json(&body, chrono::Utc::now())?;
    let owner = account.clone();
    respond_once(&state, &request, &account, &body, move |conn| {
        record_one(conn, &owner, input)
    })
    .await
}

/// Records one event and renders the SPEC §6.1 answer; shared with the postbacks.
pub fn record_one(conn: &mut PgConnection, account: &ObjectId, input: RevenueInput) -> WorkResult {
    let outcome = record_revenue(conn, account, &[input], chrono::Utc::now())?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::server_error("no outcome for the record"))?;
    let recorded = outcome?;
    let status = if recorded.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, recorded_body(&recorded)?))
}

fn recorded_body(recorded: &Recorded) -> Result<Value, ApiError> {
    let body = RevenueRecorded {
        success: true,
        revenue_id: recorded.revenue_id.clone(),
        offer_id: recorded.offer_id.clone(),
        click_id: recorded.click_id.clone(),
        message_id: recorded.message_id.clone(),
        revenue: Money(recorded.revenue),
        duplicate: recorded.duplicate.then_some(true),
    };
    serde_json::to_value(body).map_err(ApiError::server_error)
}

/// Record up to 1,000 revenue events; each stands alone (SPEC §6.2). One database round
/// trip records all the valid ones.
#[utoipa::path(post, path = "/api/v2/revenue/bulk", tag = "revenue", request_body = RevenueBulkRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for 24 hours")),
    responses(
        (status = 200, description = "What happened to each record", body = BulkSummary),
        (status = 400, description = "missing_records, invalid_json, invalid_idempotency_key; per record: the codes of POST /api/v2/revenue and invalid_record", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 409, description = "idempotency_conflict", body = ErrorBody),
        (status = 413, description = "too_many_records, payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn bulk(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonObject(body): JsonObject,
) -> Result<HttpResponse, ApiError> {
    let records = match body.get("records") {
        Some(Value::Array(records)) if !records.is_empty() => records,
        _ => return Err(InputError::MissingRecords.into()),
    };
    if records.len() > MAX_BULK_RECORDS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_records",
            format!("A bulk request carries at most {MAX_BULK_RECORDS} records; split it."),
        ));
    }
    let now = chrono::Utc::now();
    let mut refused = Vec::new();
    let mut valid = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let parsed = record
            .as_object()
            .ok_or(InputError::InvalidRecord)
            .and_then(|object| RevenueInput::from_json(object, now));
        match parsed {
            Ok(input) => valid.push((index, input)),
            Err(error) => refused.push((index, error.code(), error.to_string())),
        }
    }
    let owner = account.clone();
    respond_once(&state, &request, &account, &body, move |conn| {
        let (indexes, inputs): (Vec<usize>, Vec<RevenueInput>) = valid.into_iter().unzip();
        let outcomes = record_revenue(conn, &owner, &inputs, chrono::Utc::now())?;
        let summary = bulk_summary(indexes.into_iter().zip(outcomes), refused);
        Ok((
            StatusCode::OK,
            serde_json::to_value(summary).map_err(ApiError::server_error)?,
        ))
    })
    .await
}

fn bulk_summary(
    outcomes: impl Iterator<Item = (usize, RecordOutcome)>,
    mut errors: Vec<(usize, &'static str, String)>,
) -> BulkSummary {
    let (mut created, mut duplicates, mut total) = (0u64, 0u64, Decimal::ZERO);
    for (index, outcome) in outcomes {
        match outcome {
            Ok(recorded) if recorded.duplicate => duplicates += 1,
            Ok(recorded) => {
                created += 1;
                total += recorded.revenue;
            }
            Err(unattributed) => errors.push((
                index,
                unattributed.code(),
                unattributed.message().to_owned(),
            )),
        }
    }
    errors.sort_by_key(|(index, _, _)| *index);
    let error_count = errors.len();
    BulkSummary {
        success_count: created,
        error_count,
        duplicate_count: duplicates,
        total_revenue: Money(total),
        errors: errors
            .into_iter()
            .take(MAX_LISTED_ERRORS)
            .map(|(index, code, error)| BulkError { index, code, error })
            .collect(),
    }
}

/// List revenue events, newest occurrence first (SPEC §6.3).
#[utoipa::path(get, path = "/api/v2/revenue", tag = "revenue",
    params(
        ("offer_id" = Option<String>, Query, description = "The offer's id or slug"),
        ("from" = Option<String>, Query, description = "First UTC day of occurred_at, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last UTC day of occurred_at, YYYY-MM-DD"),
        ("event_type" = Option<String>, Query, description = "lead, sale, rebill, refund, chargeback, install or signup"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses(
        (status = 200, description = "One page of events", body = RevenueList),
        (status = 400, description = "invalid_event_type, invalid_date_range, invalid_pagination, invalid_query", body = ErrorBody),
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
    let filter = RevenueFilter::parse(|name| params.get(name))?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let (events, total) = run_db(&state.pool, move |conn| {
        Ok(list_revenue(conn, &account, &filter, page)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RevenueList {
        revenue: events.iter().map(RevenueEventView::new).collect(),
        pagination: page.summary(total).into(),
    }))
}
