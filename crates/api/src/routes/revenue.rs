//! Revenue endpoints (SPEC §6.1–§6.3): record one event, record a batch, list.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use trackly_domain::query::Page;
use trackly_domain::revenue::{RevenueFilter, RevenueInput};
use trackly_domain::{InputError, ObjectId};
use trackly_store::revenue::{list_revenue, record_revenue, RecordOutcome, Recorded};
use trackly_store::PgConnection;

use crate::auth::Account;
use crate::body::JsonObject;
use crate::db::run_db;
use crate::error::ApiError;
use crate::idempotency::{respond_once, WorkResult};
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{money, RevenueEventView};

/// The most records one bulk request may carry.
pub const MAX_BULK_RECORDS: usize = 1_000;
/// The most per-record errors a bulk answer lists.
const MAX_LISTED_ERRORS: usize = 100;

/// `POST /api/v2/revenue` (SPEC §6.1).
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
    Ok((status, recorded_body(&recorded)))
}

fn recorded_body(recorded: &Recorded) -> Value {
    let mut body = json!({
        "success": true,
        "revenue_id": recorded.revenue_id,
        "offer_id": recorded.offer_id,
        "click_id": recorded.click_id,
        "message_id": recorded.message_id,
        "revenue": money(recorded.revenue),
    });
    if recorded.duplicate {
        body["duplicate"] = Value::Bool(true);
    }
    body
}

/// `POST /api/v2/revenue/bulk` (SPEC §6.2): each record stands alone; one database round
/// trip records all the valid ones.
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
        Ok((
            StatusCode::OK,
            bulk_summary(indexes.into_iter().zip(outcomes), refused),
        ))
    })
    .await
}

fn bulk_summary(
    outcomes: impl Iterator<Item = (usize, RecordOutcome)>,
    mut errors: Vec<(usize, &'static str, String)>,
) -> Value {
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
    let listed: Vec<Value> = errors
        .into_iter()
        .take(MAX_LISTED_ERRORS)
        .map(|(index, code, error)| json!({"index": index, "code": code, "error": error}))
        .collect();
    json!({
        "success_count": created,
        "error_count": error_count,
        "duplicate_count": duplicates,
        "total_revenue": money(total),
        "errors": listed,
    })
}

/// `GET /api/v2/revenue` (SPEC §6.3).
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
    let views: Vec<_> = events.iter().map(RevenueEventView::new).collect();
    Ok(HttpResponse::Ok().json(json!({"revenue": views, "pagination": page.summary(total)})))
}
