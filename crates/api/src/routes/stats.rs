//! Stats (SPEC §7.1, §7.2).

use actix_web::{web, HttpRequest, HttpResponse};
use trackly_app::stats;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::Page;
use trackly_domain::stats::DateRange;
use trackly_domain::InputError;

use crate::auth::Account;
use crate::declared::errors::ApiKeyErrors;
use crate::declared::params::{OfferIdPath, PageQuery, StatsDaysQuery};
use crate::error::ApiError;
use crate::error_answers;
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{AccountStats, AccountStatsItem, DayView, OfferStats, TotalsView};

/// An offer's stats per UTC day (SPEC §7.1).
#[utoipa::path(get, path = "/api/v2/offers/{id}/stats", tag = "stats", operation_id = "getOfferStats",
    params(OfferIdPath, StatsDaysQuery),
    responses(
        (status = 200, description = "Totals and every day of the range", body = OfferStats),
        OfferStatsErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn offer(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let offer = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let range = date_range(&request)?;
    let stats = stats::offer(&state.app, &account, offer, range).await?;
    Ok(HttpResponse::Ok().json(OfferStats {
        offer_id: stats.offer_id.to_string(),
        from: stats.range.from.to_string(),
        to: stats.range.to.to_string(),
        totals: TotalsView::new(&stats.totals),
        daily: stats.daily.iter().map(DayView::new).collect(),
    }))
}

/// Totals of every offer that is not archived, highest revenue first (SPEC §7.2).
#[utoipa::path(get, path = "/api/v2/stats/offers", tag = "stats", operation_id = "listOfferTotals",
    params(StatsDaysQuery, PageQuery),
    responses(
        (status = 200, description = "One page of offers with their totals", body = AccountStats),
        AccountStatsErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn offers(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let range = date_range(&request)?;
    let params = QueryParams::from_request(&request)?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let listed = stats::offers(&state.app, &account, range, page).await?;
    Ok(HttpResponse::Ok().json(AccountStats {
        from: range.from.to_string(),
        to: range.to.to_string(),
        offers: listed
            .items
            .iter()
            .map(|row| AccountStatsItem {
                offer_id: row.offer_id.to_string(),
                name: row.name.clone(),
                status: row.status.as_str().to_owned(),
                totals: TotalsView::new(&row.counts),
            })
            .collect(),
        pagination: listed.pagination.into(),
    }))
}

fn date_range(request: &HttpRequest) -> Result<DateRange, ApiError> {
    let params = QueryParams::from_request(request)?;
    Ok(DateRange::parse(
        params.get("from"),
        params.get("to"),
        chrono::Utc::now().date_naive(),
    )?)
}

error_answers! {
    /// Refusals of `GET /api/v2/offers/{id}/stats` (SPEC §7.1).
    OfferStatsErrors {
        400 => [
            InputError::InvalidDateRange(""),
            InputError::InvalidQuery { field: "", reason: "" },
        ],
        404 => [ApiError::not_found()],
    }
}

error_answers! {
    /// Refusals of `GET /api/v2/stats/offers` (SPEC §7.2).
    AccountStatsErrors {
        400 => [
            InputError::InvalidDateRange(""),
            InputError::InvalidQuery { field: "", reason: "" },
            InputError::InvalidPagination(""),
        ],
    }
}
