//! Postbacks (SPEC §6.4): affiliate platforms report conversions with a GET, authenticated
//! by the account's postback secret instead of an API key. The secret never reaches the
//! log (the access log prints paths without query strings).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use trackly_app::{revenue, AppError};
use trackly_domain::input::{AmountText, Sent, TextOrInteger};
use trackly_domain::revenue::{RevenueFields, RevenueInput, Unattributed};
use trackly_domain::InputError;

use crate::declared::params::PostbackQuery;
use crate::error::ApiError;
use crate::error_answers;
use crate::query::QueryParams;
use crate::routes::revenue::recorded_status;
use crate::state::AppState;
use crate::views::RevenueRecorded;

/// A conversion postback by click (SPEC §6.4): the rules and answers of
/// `POST /api/v2/revenue`, authenticated by the account's postback secret.
#[utoipa::path(get, path = "/conv", tag = "postbacks", operation_id = "postbackByClick",
    params(PostbackQuery),
    responses(
        (status = 201, description = "Recorded", body = RevenueRecorded),
        (status = 200, description = "Duplicate txn_id: the first event", body = RevenueRecorded),
        PostbackErrors,
    ),
    security(("postback_secret" = [])))]
pub async fn by_click(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    postback(&state, &request).await
}

/// A conversion postback by offer (SPEC §6.4); same parameters and answers as `/conv`.
#[utoipa::path(get, path = "/conv/offer", tag = "postbacks", operation_id = "postbackByOffer",
    params(PostbackQuery),
    responses(
        (status = 201, description = "Recorded", body = RevenueRecorded),
        (status = 200, description = "Duplicate txn_id: the first event", body = RevenueRecorded),
        PostbackErrors,
    ),
    security(("postback_secret" = [])))]
pub async fn by_offer(state: web::Data<AppState>, request: HttpRequest) -> HttpResponse {
    postback(&state, &request).await
}

async fn postback(state: &AppState, request: &HttpRequest) -> HttpResponse {
    match record(state, request).await {
        Ok(recorded) => {
            HttpResponse::build(recorded_status(&recorded)).json(RevenueRecorded::new(&recorded))
        }
        Err(error) => error.error_response(),
    }
}

async fn record(
    state: &AppState,
    request: &HttpRequest,
) -> Result<trackly_domain::revenue::Recorded, ApiError> {
    let params = QueryParams::from_request(request)?;
    let secret = params
        .get("postback_secret")
        .filter(|secret| !secret.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Postback secret required.",
            )
        })?;
    // Empty values come from platform macros with nothing to fill in: not sent.
    let param = |name: &str| params.get(name).filter(|value| !value.is_empty());
    let text = |name: &str| param(name).map_or(Sent::Absent, |value| Sent::Value(value.to_owned()));
    let id = |name: &str| {
        param(name).map_or(Sent::Absent, |value| {
            Sent::Value(TextOrInteger(value.to_owned()))
        })
    };
    let fields = RevenueFields {
        revenue: param("revenue").map_or(Sent::Absent, |value| {
            Sent::Value(AmountText::Text(value.to_owned()))
        }),
        click_id: text("click_id"),
        offer_id: id("offer_id"),
        message_id: id("message_id"),
        attribution_type: text("attribution_type"),
        event_type: text("event_type"),
        txn_id: id("txn_id"),
        timestamp: text("timestamp"),
    };
    let input = RevenueInput::new(fields, chrono::Utc::now());
    Ok(revenue::record_postback(&state.app, secret, input).await?)
}

error_answers! {
    /// Refusals of the postbacks (SPEC §6.4): those of `POST /api/v2/revenue` about the
    /// record, and the postback secret's.
    PostbackErrors {
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
            InputError::InvalidQuery { field: "", reason: "" },
        ],
        401 => [ApiError::from(AppError::Unauthenticated)],
        404 => [Unattributed::ClickNotFound, Unattributed::OfferNotFound],
        409 => [Unattributed::AmbiguousOffer],
        500 => [ApiError::server_error("")],
        503 => [ApiError::unavailable("")],
    }
}
