//! Liveness and readiness (SPEC §1.9).

use actix_web::{web, HttpResponse};
use serde_json::json;
use trackly_store::migrations::schema_is_current;

use crate::db::run_db;
use crate::state::AppState;

/// `GET /healthz`: the process runs. No database call.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers and its schema is at the latest migration.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match run_db(&state.pool, |conn| Ok(schema_is_current(conn)?)).await {
        Ok(true) => HttpResponse::Ok().json(json!({"status": "ready"})),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "1"))
            .json(json!({"status": "unavailable", "reason": "database schema is not at the latest migration"})),
        Err(error) => {
            log::warn!("readiness check failed: {error}");
            HttpResponse::ServiceUnavailable()
                .insert_header(("Retry-After", "1"))
                .json(json!({"status": "unavailable", "reason": "database is unreachable"}))
        }
    }
}
