//! `GET /api/v2/offers/{id}/clicks` (SPEC §5.4): an offer's raw clicks.

use actix_web::{web, HttpRequest, HttpResponse};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{ClickFilter, Page};
use trackly_store::clicks::list_clicks;

use crate::auth::Account;
use crate::db::run_db;
use crate::error::{ApiError, ErrorBody};
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{ClickList, ClickView};

/// An offer's raw clicks, newest first (SPEC §5.4).
#[utoipa::path(get, path = "/api/v2/offers/{id}/clicks", tag = "clicks",
    params(
        ("id" = String, Path, description = "The offer's id or any of its slugs"),
        ("from" = Option<String>, Query, description = "First UTC day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last UTC day, YYYY-MM-DD"),
        ("is_bot" = Option<bool>, Query, description = "Only bots, or only people"),
        ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query),
    ),
    responses(
        (status = 200, description = "One page of clicks", body = ClickList),
        (status = 400, description = "invalid_date_range, invalid_query, invalid_pagination", body = ErrorBody),
        (status = 401, description = "unauthorized", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
        (status = 503, description = "service_unavailable", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let offer = OfferRef::parse(&path).ok_or_else(ApiError::not_found)?;
    let params = QueryParams::from_request(&request)?;
    let filter = ClickFilter::parse(|name| params.get(name))?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let (clicks, total) = run_db(&state.pool, move |conn| {
        Ok(list_clicks(conn, &account, &offer, &filter, page)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClickList {
        clicks: clicks.iter().map(ClickView::new).collect(),
        pagination: page.summary(total).into(),
    }))
}
