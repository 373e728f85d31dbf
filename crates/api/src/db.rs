//! The one bridge from async handlers to synchronous diesel: a pooled connection inside
//! `web::block`, every failure mapped to the API error.

use std::time::Instant;

use actix_web::web;
use trackly_store::{PgConnection, PgPool, StoreError};

use crate::error::ApiError;

/// Runs `work` with a pooled connection on the blocking thread pool. No connection within
/// the pool's checkout timeout is a `503`. The timeout counts from this call, time queued
/// for a blocking thread included: while the database is down, queued requests would
/// otherwise wait their turn and then the whole timeout again (SPEC §8.2: 503 within 3 s).
pub async fn run_db<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let called_at = Instant::now();
    web::block(move || {
        let budget = pool
            .connection_timeout()
            .saturating_sub(called_at.elapsed());
        let mut conn = pool.get_timeout(budget).map_err(StoreError::from)?;
        conn.run(work)
    })
    .await
    .map_err(ApiError::server_error)?
}
