//! Liveness and readiness (SPEC §1.9).

use actix_web::{web, HttpResponse};
use trackly_store::migrations::schema_is_current;

use crate::db::run_db;
use crate::state::AppState;
use crate::views::Health;

/// The process runs. No database call.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Running", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        reason: None,
    })
}

/// The database answers and its schema is at the latest migration.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Database unreachable or schema behind", body = Health),
    ))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let unavailable = |reason| {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "1"))
            .json(Health {
                status: "unavailable",
                reason: Some(reason),
            })
    };
    match run_db(&state.pool, |conn| Ok(schema_is_current(conn)?)).await {
        Ok(true) => HttpResponse::Ok().json(Health {
            status: "ready",
            reason: None,
        }),
        Ok(false) => unavailable("database schema is not at the latest migration"),
        Err(error) => {
            log::warn!("readiness check failed: {error}");
            unavailable("database is unreachable")
        }
    }
}
