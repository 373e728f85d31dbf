//! The integration endpoints (SPEC §10.1, §10.2, §10.4): one handler each.

use actix_web::{web, HttpRequest, HttpResponse};
use trackly_app::{integrations, AppError};
use trackly_domain::integration::{NewIntegration, SyncKind};
use trackly_domain::query::Page;
use trackly_domain::{InputError, ObjectId};

use crate::auth::Account;
use crate::body::JsonBody;
use crate::declared::errors::ApiKeyErrors;
use crate::declared::integration_params::{IntegrationIdPath, SyncKindQuery};
use crate::declared::params::PageQuery;
use crate::error::ApiError;
use crate::error_answers;
use crate::query::QueryParams;
use crate::requests::integrations::{IntegrationCreateRequest, IntegrationUpdateRequest};
use crate::state::AppState;
use crate::views::integrations::{
    IntegrationCreated, IntegrationDeleted, IntegrationList, IntegrationView, SyncRunList,
    SyncRunView, SyncStarted,
};

/// Connect the account to TUNE or Everflow (SPEC §10.1): the key is checked with the
/// platform, then stored encrypted.
#[utoipa::path(post, path = "/api/v2/integrations", tag = "integrations", operation_id = "createIntegration",
    request_body = IntegrationCreateRequest,
    responses(
        (status = 201, description = "Connected", body = IntegrationCreated),
        ApiKeyErrors, CreateIntegrationErrors,
    ),
    security(("api_key" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    Account(account): Account,
    JsonBody { body, .. }: JsonBody<IntegrationCreateRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = NewIntegration::try_from(body)?;
    let made = trackly_sync::connect(&state.app, &account, new, &state.platform_options).await?;
    Ok(HttpResponse::Created().json(IntegrationCreated {
        success: true,
        integration: IntegrationView::new(&made),
    }))
}

/// List the account's connections (SPEC §10.1).
#[utoipa::path(get, path = "/api/v2/integrations", tag = "integrations", operation_id = "listIntegrations",
    responses(
        (status = 200, description = "The account's connections, oldest first", body = IntegrationList),
        ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let listed = integrations::list(&state.app, &account).await?;
    Ok(HttpResponse::Ok().json(IntegrationList {
        integrations: listed.iter().map(IntegrationView::new).collect(),
    }))
}

/// Read a connection (SPEC §10.1).
#[utoipa::path(get, path = "/api/v2/integrations/{id}", tag = "integrations", operation_id = "getIntegration",
    params(IntegrationIdPath),
    responses(
        (status = 200, description = "The connection", body = IntegrationView),
        NotFoundErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let found = integrations::get(&state.app, &account, &id).await?;
    Ok(HttpResponse::Ok().json(IntegrationView::new(&found)))
}

/// Change a connection (SPEC §10.1): what is not sent is kept; a new key, endpoint or
/// affiliate is checked with the platform first.
#[utoipa::path(put, path = "/api/v2/integrations/{id}", tag = "integrations", operation_id = "updateIntegration",
    params(IntegrationIdPath),
    request_body = IntegrationUpdateRequest,
    responses(
        (status = 200, description = "Changed", body = IntegrationView),
        ApiKeyErrors, UpdateIntegrationErrors,
    ),
    security(("api_key" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
    JsonBody { body, .. }: JsonBody<IntegrationUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    let changed =
        trackly_sync::change(&state.app, &account, &id, body.0, &state.platform_options).await?;
    Ok(HttpResponse::Ok().json(IntegrationView::new(&changed)))
}

/// Delete a connection and its runs (SPEC §10.1); the offers and revenue it brought stay.
#[utoipa::path(delete, path = "/api/v2/integrations/{id}", tag = "integrations", operation_id = "deleteIntegration",
    params(IntegrationIdPath),
    responses(
        (status = 200, description = "Deleted", body = IntegrationDeleted),
        NotFoundErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let id = integration_id(&path)?;
    integrations::delete(&state.app, &account, &id).await?;
    Ok(HttpResponse::Ok().json(IntegrationDeleted {
        success: true,
        deleted: true,
    }))
}

/// Sync a connection now (SPEC §10.2): answers at once with the runs started; follow them
/// in `GET /api/v2/integrations/{id}/runs`.
#[utoipa::path(post, path = "/api/v2/integrations/{id}/sync", tag = "integrations", operation_id = "syncIntegration",
    params(IntegrationIdPath, SyncKindQuery),
    responses(
        (status = 202, description = "Started", body = SyncStarted),
        ApiKeyErrors, SyncIntegrationErrors,
    ),
    security(("api_key" = [])))]
pub async fn sync(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let params = QueryParams::from_request(&request)?;
    let kind = match params.get("kind").filter(|kind| !kind.is_empty()) {
        None => None,
        Some(text) => Some(SyncKind::parse(text).ok_or(InputError::InvalidSyncKind)?),
    };
    let id = integration_id(&path)?;
    let runs = state.syncer.request(&account, &id, kind).await?;
    let run_ids: Vec<String> = runs.iter().map(|run| run.id.as_str().to_owned()).collect();
    Ok(HttpResponse::Accepted().json(SyncStarted {
        run_id: run_ids.first().cloned().unwrap_or_default(),
        run_ids,
    }))
}

/// A connection's sync runs, newest first (SPEC §10.4).
#[utoipa::path(get, path = "/api/v2/integrations/{id}/runs", tag = "integrations", operation_id = "listSyncRuns",
    params(IntegrationIdPath, PageQuery),
    responses(
        (status = 200, description = "One page of runs, newest first", body = SyncRunList),
        ListRunsErrors, ApiKeyErrors,
    ),
    security(("api_key" = [])))]
pub async fn runs(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
    Account(account): Account,
) -> Result<HttpResponse, ApiError> {
    let params = QueryParams::from_request(&request)?;
    let page = Page::parse(params.get("page"), params.get("per_page"))?;
    let id = integration_id(&path)?;
    let listed = integrations::runs(&state.app, &account, &id, page).await?;
    Ok(HttpResponse::Ok().json(SyncRunList {
        runs: listed.items.iter().map(SyncRunView::new).collect(),
        pagination: listed.pagination.into(),
    }))
}

/// A connection id from the path; anything else names no connection.
fn integration_id(path: &str) -> Result<ObjectId, ApiError> {
    ObjectId::parse(path).ok_or_else(ApiError::not_found)
}

// The operations that can answer `secret_key_missing` list their 503 after `ApiKeyErrors`,
// whose 503 (`service_unavailable`) theirs repeats and extends.

error_answers! {
    /// Refusals of `POST /api/v2/integrations` (§10.1).
    CreateIntegrationErrors {
        400 => [
            InputError::MissingPlatform,
            InputError::InvalidPlatform,
            InputError::MissingApiKey,
            InputError::InvalidApiKey,
            InputError::InvalidBaseUrl,
            InputError::InvalidNetworkId,
            InputError::MissingNetworkId,
            InputError::InvalidAffiliateId,
            InputError::MissingAffiliateId,
            InputError::InvalidSyncOffers,
            InputError::InvalidSyncConversions,
            InputError::InvalidMessageIdField,
            InputError::InvalidTimezone,
            ApiError::from(AppError::PlatformRejectedKey(String::new())),
            ApiError::invalid_json(""),
        ],
        409 => [ApiError::from(AppError::IntegrationExists)],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
        502 => [ApiError::from(AppError::PlatformUnreachable(String::new()))],
        503 => [ApiError::unavailable(""), ApiError::from(AppError::SecretKeyMissing)],
    }
}

error_answers! {
    /// Refusals of `PUT /api/v2/integrations/{id}` (§10.1).
    UpdateIntegrationErrors {
        400 => [
            InputError::PlatformChanged,
            InputError::InvalidApiKey,
            InputError::InvalidBaseUrl,
            InputError::InvalidNetworkId,
            InputError::MissingNetworkId,
            InputError::InvalidAffiliateId,
            InputError::MissingAffiliateId,
            InputError::InvalidSyncOffers,
            InputError::InvalidSyncConversions,
            InputError::InvalidMessageIdField,
            InputError::InvalidTimezone,
            ApiError::from(AppError::PlatformRejectedKey(String::new())),
            ApiError::invalid_json(""),
        ],
        404 => [ApiError::not_found()],
        413 => [ApiError::payload_too_large()],
        415 => [ApiError::unsupported_media_type()],
        502 => [ApiError::from(AppError::PlatformUnreachable(String::new()))],
        503 => [ApiError::unavailable(""), ApiError::from(AppError::SecretKeyMissing)],
    }
}

error_answers! {
    /// Refusals of `POST /api/v2/integrations/{id}/sync` (§10.2).
    SyncIntegrationErrors {
        400 => [InputError::InvalidSyncKind, InputError::SyncDisabled],
        404 => [ApiError::not_found()],
        409 => [ApiError::from(AppError::SyncRunning)],
        503 => [ApiError::unavailable(""), ApiError::from(AppError::SecretKeyMissing)],
    }
}

error_answers! {
    /// Refusals of `GET /api/v2/integrations/{id}/runs` (§10.4).
    ListRunsErrors {
        400 => [InputError::InvalidPagination("")],
        404 => [ApiError::not_found()],
    }
}

error_answers! {
    /// Refusals of reading or deleting one connection.
    NotFoundErrors {
        404 => [ApiError::not_found()],
    }
}
