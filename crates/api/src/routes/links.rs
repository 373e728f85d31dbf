//! The link endpoints (SPEC §9.1–§9.3, §9.5): one handler each.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use trackly_app::{links, AppError};
use trackly_domain::link::{LinkFilter, LinkId, LinkRefused, NewLink, MAX_BULK_LINKS};
use trackly_domain::query::Page;
use trackly_domain::InputError;

use crate::auth::Account;
use crate::body::JsonBody;
use crate::declared::errors::ApiKeyErrors;
use crate::declared::link_params::{LinkIdPath, LinkListQuery};
use crate::declared::params::{DaysQuery, IdempotencyKeyHeader, PageQuery};
use crate::error::ApiError;
use crate::error_answers;
use crate::idempotency::{answer, once, respond};
use crate::query::QueryParams;
use crate::requests::links::{BulkLinksRequest, PartnerLinkRequest, ShortenLinkRequest};
use crate::state::AppState;
use crate::views::links::{LinkBulkSummary, LinkCreated, LinkList, LinkRead, LinkView};

/// Make a short link for one message (SPEC §9.1): to an active offer (`offerId`) or a URL.
#[utoipa::path(post, path = "/api/v2/links/shorten", tag = "links", operation_id = "shortenLink",
    request_body = ShortenLinkRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Made", body = LinkCreated),
        ShortenLinkErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn shorten(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonBody { body, raw }: JsonBody<ShortenLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let link = NewLink::try_from(body)?;
    let once = once(&request, &raw)?;
    let base = state.link_base();
    let answered = links::shorten(&state.app, &account, link, once, move |made| {
        answer(StatusCode::CREATED, &LinkCreated::shortened(made, &base))
    })
    .await?;
    respond(answered)
}

/// Make a short link for an affiliate-platform offer (SPEC §9.2), named by `offerId` or
/// `externalOfferId`.
#[utoipa::path(post, path = "/api/v2/links", tag = "links", operation_id = "createPlatformLink",
    request_body = PartnerLinkRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Made, with clickTrackerUrl", body = LinkCreated),
        PlatformLinkErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonBody { body, raw }: JsonBody<PartnerLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let link = NewLink::try_from(body)?;
    let once = once(&request, &raw)?;
    let base = state.link_base();
    let answered = links::shorten(&state.app, &account, link, once, move |made| {
        answer(StatusCode::CREATED, &LinkCreated::for_platform(made, &base))
    })
    .await?;
    respond(answered)
}

/// Make up to 10,000 short links at once (SPEC §9.3); each record stands alone.
#[utoipa::path(post, path = "/api/v2/links/bulk", tag = "links", operation_id = "shortenLinksBulk",
    request_body = BulkLinksRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 200, description = "What happened to each record, in input order", body = LinkBulkSummary),
        BulkLinksErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn bulk(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
    JsonBody { body, raw }: JsonBody<BulkLinksRequest>,
) -> Result<HttpResponse, ApiError> {
    let records = body.into_links()?;
    let once = once(&request, &raw)?;
    let base = state.link_base();
    let answered = links::shorten_many(&state.app, &account, records, once, move |outcome| {
        answer(StatusCode::OK, &LinkBulkSummary::new(outcome, &base))
    })
    .await?;
    respond(answered)
}

/// Read a link with its stats (SPEC §9.5).
#[utoipa::path(get, path = "/api/v2/links/{linkId}", tag = "links", operation_id = "getLink",
    params(LinkIdPath),
    responses(
        (status = 200, description = "The link and its counts, all time", body = LinkRead),
        GetLinkErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let link_id = LinkId::parse(&path).ok_or_else(ApiError::not_found)?;
    let (link, stats) = links::get(&state.app, &account, link_id).await?;
    let base = state.link_base();
    Ok(HttpResponse::Ok().json(LinkRead::new(&link, stats, &base)))
}

/// List links, newest first (SPEC §9.5).
#[utoipa::path(get, path = "/api/v2/links", tag = "links", operation_id = "listLinks",
    params(LinkListQuery, DaysQuery, PageQuery),
    responses(
        (status = 200, description = "One page of links, newest first", body = LinkList),
        ListLinksErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    request: HttpRequest,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let params = QueryParams::from_request(&request)?;
    let filter = LinkFilter::parse(|name| params.get(name))?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let listed = links::list(&state.app, &account, filter, page).await?;
    let base = state.link_base();
    Ok(HttpResponse::Ok().json(LinkList {
        links: listed
            .items
            .iter()
            .map(|link| LinkView::new(link, &base))
            .collect(),
        pagination: listed.pagination.into(),
    }))
}

error_answers! {
    /// Refusals of `POST /api/v2/links/shorten`, in the §9.1 table's order.
    ShortenLinkErrors {
        400 => [
            InputError::InvalidUrl,
            InputError::InvalidLinkOfferId,
            InputError::MissingUrlOrOffer,
            InputError::InvalidListId,
            InputError::MissingListIdentifier,
            InputError::InvalidPhoneNumber,
            InputError::InvalidContactPhone,
            InputError::InvalidLinkMessageId,
            InputError::InvalidMetadata(""),
            ApiError::invalid_json(""),
            InputError::InvalidIdempotencyKey,
        ],
        404 => [LinkRefused::OfferNotFound],
        409 => [ApiError::from(AppError::IdempotencyConflict)],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
    }
}

error_answers! {
    /// Refusals of `POST /api/v2/links` (§9.2).
    PlatformLinkErrors {
        400 => [
            InputError::InvalidLinkOfferId,
            InputError::InvalidExternalOfferId,
            InputError::MissingLinkOffer,
            InputError::InvalidListId,
            InputError::MissingListIdentifier,
            InputError::InvalidPhoneNumber,
            InputError::InvalidContactPhone,
            InputError::InvalidLinkMessageId,
            InputError::InvalidMetadata(""),
            ApiError::invalid_json(""),
            InputError::InvalidIdempotencyKey,
        ],
        404 => [LinkRefused::OfferNotFound],
        409 => [
            LinkRefused::AmbiguousOffer,
            ApiError::from(AppError::IdempotencyConflict),
        ],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
    }
}

error_answers! {
    /// Refusals of `POST /api/v2/links/bulk` (§9.3); a record's own refusal is listed in
    /// the 200 answer instead.
    BulkLinksErrors {
        400 => [
            InputError::MissingLinks,
            ApiError::invalid_json(""),
            InputError::InvalidIdempotencyKey,
        ],
        409 => [ApiError::from(AppError::IdempotencyConflict)],
        413 => [
            ApiError::from(AppError::TooManyRecords { max: MAX_BULK_LINKS }),
            ApiError::payload_too_large(),
        ],
        415 => [ApiError::unsupported_media_type()],
    }
}

error_answers! {
    /// Refusals of `GET /api/v2/links/{linkId}` (§9.5).
    GetLinkErrors {
        404 => [ApiError::not_found()],
    }
}

error_answers! {
    /// Refusals of `GET /api/v2/links` (§9.5).
    ListLinksErrors {
        400 => [
            InputError::InvalidDateRange(""),
            InputError::InvalidQuery { field: "", reason: "" },
            InputError::InvalidPagination(""),
        ],
    }
}
