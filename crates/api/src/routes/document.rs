//! `GET /api/v2/openapi.json`: the API document (SPEC §13), public. The server renders it
//! once and hands it to this route as app data.

use actix_web::{web, HttpResponse};

/// The rendered OpenAPI document.
#[derive(Debug, Clone, Copy)]
pub struct ApiDocument(pub &'static str);

/// This document (public, no API key).
#[utoipa::path(get, path = "/api/v2/openapi.json", tag = "operations", operation_id = "getOpenApiDocument",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn document(document: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0)
}
