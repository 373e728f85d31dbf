//! Postbacks (SPEC §6.4): affiliate platforms report conversions with a GET, authenticated
//! by the account's postback secret instead of an API key. The secret never reaches the
//! log (the access log prints paths without query strings).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use trackly_domain::revenue::RevenueInput;
use trackly_store::accounts::account_by_postback_secret;

use crate::db::run_db;
use crate::error::{ApiError, ErrorBody};
use crate::query::QueryParams;
use crate::routes::revenue::record_one;
use crate::state::AppState;
use crate::views::RevenueRecorded;

/// The §6.1 fields a postback may carry in its query string.
const FIELDS: [&str; 8] = [
    "revenue",
    "click_id",
    "offer_id",
    "message_id",
    "attribution_type",
    "event_type",
    "txn_id",
    "timestamp",
];

/// A conversion postback by click (SPEC §6.4): the rules and answers of
/// `POST /api/v2/revenue`, authenticated by the account's postback secret.
#[utoipa::path(get, path = "/conv", tag = "postbacks",
    params(
        ("postback_secret" = String, Query, description = "The account's postback secret"),
        ("click_id" = Option<String>, Query), ("offer_id" = Option<String>, Query),
        ("revenue" = Option<String>, Query), ("txn_id" = Option<String>, Query),
        ("event_type" = Option<String>, Query), ("message_id" = Option<String>, Query),
        ("attribution_type" = Option<String>, Query), ("timestamp" = Option<String>, Query),
    ),
    responses(
        (status = 201, description = "Recorded", body = RevenueRecorded),
        (status = 200, description = "Duplicate txn_id: the first event", body = RevenueRecorded),
        (status = 400, description = "the codes of POST /api/v2/revenue, invalid_query", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "click_not_found, offer_not_found", body = ErrorBody),
        (status = 409, description = "ambiguous_offer", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ))]
pub async fn by_click(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    postback(&state, &request).await
}

/// A conversion postback by offer (SPEC §6.4); same parameters and answers as `/conv`.
#[utoipa::path(get, path = "/conv/offer", tag = "postbacks",
    params(
        ("postback_secret" = String, Query, description = "The account's postback secret"),
        ("offer_id" = Option<String>, Query), ("click_id" = Option<String>, Query),
        ("message_id" = Option<String>, Query), ("revenue" = Option<String>, Query),
        ("txn_id" = Option<String>, Query), ("event_type" = Option<String>, Query),
        ("attribution_type" = Option<String>, Query), ("timestamp" = Option<String>, Query),
    ),
    responses(
        (status = 201, description = "Recorded", body = RevenueRecorded),
        (status = 200, description = "Duplicate txn_id: the first event", body = RevenueRecorded),
        (status = 400, description = "the codes of POST /api/v2/revenue, invalid_query", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "click_not_found, offer_not_found", body = ErrorBody),
        (status = 409, description = "ambiguous_offer", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ))]
pub async fn by_offer(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    postback(&state, &request).await
}

async fn postback(state: &AppState, request: &HttpRequest) -> HttpResponse {
    match record(state, request).await {
        Ok((status, body)) => HttpResponse::build(status).json(body),
        Err(error) => error.error_response(),
    }
}

async fn record(state: &AppState, request: &HttpRequest) -> Result<(StatusCode, Value), ApiError> {
    let params = QueryParams::from_request(request)?;
    let secret = params
        .get("postback_secret")
        .filter(|secret| !secret.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Postback secret required",
            )
        })?;
    let digest = Sha256::digest(secret.as_bytes()).to_vec();
    // Empty values come from platform macros with nothing to fill in: not sent.
    let body: Map<String, Value> = FIELDS
        .iter()
        .filter_map(|field| {
            params
                .get(field)
                .filter(|value| !value.is_empty())
                .map(|value| ((*field).to_owned(), Value::String(value.to_owned())))
        })
        .collect();
    run_db(&state.pool, move |conn| {
        let account = account_by_postback_secret(conn, &digest)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Invalid postback secret",
            )
        })?;
        let input = RevenueInput::from_json(&body, chrono::Utc::now())?;
        record_one(conn, &account, input)
    })
    .await
}
