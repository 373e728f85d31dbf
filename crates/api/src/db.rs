//! The one bridge from async handlers to synchronous diesel: a pooled connection inside
//! `web::block`, every failure mapped to the API error.

use actix_web::web;
use trackly_store::{PgConnection, PgPool, StoreError};

use crate::error::ApiError;

/// Runs `work` with a pooled connection on the blocking thread pool. No connection within
/// the pool's checkout timeout is a `503`.
pub async fn run_db<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(StoreError::from)?;
        work(&mut conn)
    })
    .await
    .map_err(ApiError::server_error)?
}
