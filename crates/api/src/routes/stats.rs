//! Stats (SPEC §7.1, §7.2).

use actix_web::{web, HttpRequest, HttpResponse};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::Page;
use trackly_domain::stats::DateRange;
use trackly_store::stats::{account_offer_totals, offer_days, Counts};

use crate::auth::Account;
use crate::db::run_db;
use crate::error::{ApiError, ErrorBody};
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{AccountStats, AccountStatsItem, DayView, OfferStats, TotalsView};

/// An offer's stats per UTC day (SPEC §7.1).
#[utoipa::path(get, path = "/api/v2/offers/{id}/stats", tag = "stats",
    params(
        ("id" = String, Path, description = "The offer's id or any of its slugs"),
        ("from" = Option<String>, Query, description = "First UTC day, YYYY-MM-DD; default 6 days before to"),
        ("to" = Option<String>, Query, description = "Last UTC day, YYYY-MM-DD; default today"),
    ),
    responses(
        (status = 200, description = "Totals and every day of the range", body = OfferStats),
        (status = 400, description = "invalid_date_range, invalid_query", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
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
    let (offer_id, days) = run_db(&state.pool, move |conn| {
        Ok(offer_days(conn, &account, &offer, range)?)
    })
    .await?;
    let mut totals = Counts::default();
    for day in &days {
        totals.clicks += day.counts.clicks;
        totals.unique_clicks += day.counts.unique_clicks;
        totals.bot_clicks += day.counts.bot_clicks;
        totals.conversions += day.counts.conversions;
        totals.revenue += day.counts.revenue;
    }
    Ok(HttpResponse::Ok().json(OfferStats {
        offer_id,
        from: range.from.to_string(),
        to: range.to.to_string(),
        totals: TotalsView::new(&totals),
        daily: days.iter().map(DayView::new).collect(),
    }))
}

/// Totals of every offer that is not archived, highest revenue first (SPEC §7.2).
#[utoipa::path(get, path = "/api/v2/stats/offers", tag = "stats",
    params(
        ("from" = Option<String>, Query, description = "First UTC day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last UTC day, YYYY-MM-DD"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses(
        (status = 200, description = "One page of offers with their totals", body = AccountStats),
        (status = 400, description = "invalid_date_range, invalid_pagination, invalid_query", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
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
    let (rows, total) = run_db(&state.pool, move |conn| {
        Ok(account_offer_totals(conn, &account, range, page)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AccountStats {
        from: range.from.to_string(),
        to: range.to.to_string(),
        offers: rows
            .iter()
            .map(|row| AccountStatsItem {
                offer_id: row.offer_id.clone(),
                name: row.name.clone(),
                status: row.status.clone(),
                totals: TotalsView::new(&row.counts),
            })
            .collect(),
        pagination: page.summary(total).into(),
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
