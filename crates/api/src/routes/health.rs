//! Liveness and readiness (SPEC §1.9).

use actix_web::{web, HttpResponse};
use trackly_app::maintenance;

use crate::state::AppState;
use crate::views::Health;

/// The process runs. No database call.
#[utoipa::path(get, path = "/healthz", tag = "operations", operation_id = "checkLiveness",
    responses((status = 200, description = "Running", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        reason: None,
    })
}

/// The database answers and its schema is at the latest migration.
#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "checkReadiness",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Database unreachable or schema behind", body = Health,
            headers(("Retry-After" = String, description = "Seconds to wait before retrying"))),
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
    match maintenance::ready(&state.app).await {
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
