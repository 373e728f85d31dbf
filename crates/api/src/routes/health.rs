//! Liveness and readiness (SPEC §1.9).

use actix_web::{web, HttpResponse};
use trackly_app::{maintenance, ReplicaState};

use crate::state::AppState;
use crate::views::Health;

/// The process runs. No database call.
#[utoipa::path(get, path = "/healthz", tag = "operations", operation_id = "checkLiveness",
    responses((status = 200, description = "Running", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        reason: None,
        replica: None,
    })
}

/// The database answers and its schema is at the latest migration. With a read replica,
/// its state is shown too; it does not decide readiness (reads go to the primary while
/// the replica cannot serve them).
#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "checkReadiness",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Database unreachable or schema behind", body = Health,
            headers(("Retry-After" = String, description = "Seconds to wait before retrying"))),
    ))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let unavailable = |reason, replica| {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "1"))
            .json(Health {
                status: "unavailable",
                reason: Some(reason),
                replica,
            })
    };
    match maintenance::ready(&state.app).await {
        Ok(readiness) => {
            let replica = readiness.replica.map(ReplicaState::as_str);
            if readiness.schema_is_current {
                HttpResponse::Ok().json(Health {
                    status: "ready",
                    reason: None,
                    replica,
                })
            } else {
                unavailable("database schema is not at the latest migration", replica)
            }
        }
        Err(error) => {
            log::warn!("readiness check failed: {error}");
            unavailable("database is unreachable", None)
        }
    }
}
