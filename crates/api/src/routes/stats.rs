//! Stats (SPEC §7.1, §7.2).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::Page;
use trackly_domain::stats::DateRange;
use trackly_store::stats::{account_offer_totals, offer_days, Counts};

use crate::auth::Account;
use crate::db::run_db;
use crate::error::ApiError;
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{DayView, TotalsView};

/// `GET /api/v2/offers/{id}/stats` (SPEC §7.1).
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
    Ok(HttpResponse::Ok().json(json!({
        "offer_id": offer_id,
        "from": range.from.to_string(),
        "to": range.to.to_string(),
        "totals": TotalsView::new(&totals),
        "daily": days.iter().map(DayView::new).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v2/stats/offers` (SPEC §7.2).
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
    let items: Vec<_> = rows
        .iter()
        .map(|row| {
            json!({
                "offer_id": row.offer_id,
                "name": row.name,
                "status": row.status,
                "totals": TotalsView::new(&row.counts),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "from": range.from.to_string(),
        "to": range.to.to_string(),
        "offers": items,
        "pagination": page.summary(total),
    })))
}

fn date_range(request: &HttpRequest) -> Result<DateRange, ApiError> {
    let params = QueryParams::from_request(request)?;
    Ok(DateRange::parse(
        params.get("from"),
        params.get("to"),
        chrono::Utc::now().date_naive(),
    )?)
}
