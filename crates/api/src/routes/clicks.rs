//! `GET /api/v2/offers/{id}/clicks` (SPEC §5.4): an offer's raw clicks.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{ClickFilter, Page};
use trackly_store::clicks::list_clicks;

use crate::auth::Account;
use crate::db::run_db;
use crate::error::ApiError;
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::ClickView;

/// Lists an offer's clicks, newest first, with `from`, `to`, `is_bot` and pagination.
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
    let views: Vec<_> = clicks.iter().map(ClickView::new).collect();
    Ok(HttpResponse::Ok().json(json!({"clicks": views, "pagination": page.summary(total)})))
}
