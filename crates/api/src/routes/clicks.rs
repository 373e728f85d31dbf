//! `GET /api/v2/offers/{id}/clicks` (SPEC §5.4): an offer's raw clicks.

use actix_web::{web, HttpRequest, HttpResponse};
use trackly_app::clicks;
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::InputError;

use crate::auth::Account;
use crate::declared::errors::ApiKeyErrors;
use crate::declared::params::{BotQuery, DaysQuery, OfferIdPath, PageQuery};
use crate::error::ApiError;
use crate::error_answers;
use crate::query::QueryParams;
use crate::state::AppState;
use crate::views::{ClickList, ClickView};

/// An offer's raw clicks, newest first (SPEC §5.4).
#[utoipa::path(get, path = "/api/v2/offers/{id}/clicks", tag = "clicks", operation_id = "listOfferClicks",
    params(OfferIdPath, DaysQuery, BotQuery, PageQuery),
    responses(
        (status = 200, description = "One page of clicks, newest first", body = ClickList),
        ListClicksErrors, ApiKeyErrors,
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
    let listed = clicks::list(&state.app, &account, offer, filter, page).await?;
    Ok(HttpResponse::Ok().json(ClickList {
        clicks: listed.items.iter().map(ClickView::new).collect(),
        pagination: listed.pagination.into(),
    }))
}

error_answers! {
    /// Refusals of `GET /api/v2/offers/{id}/clicks` (SPEC §5.4).
    ListClicksErrors {
        400 => [
            InputError::InvalidDateRange(""),
            InputError::InvalidQuery { field: "", reason: "" },
            InputError::InvalidPagination(""),
        ],
        404 => [ApiError::not_found()],
    }
}
