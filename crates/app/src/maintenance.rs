//! The database's upkeep: creating and migrating it, readiness, and the periodic jobs
//! (expired idempotency records, click partitions ahead of time).

use trackly_store::clicks::ensure_click_partitions;
use trackly_store::database::{connect_creating_database, connect_existing_database};
use trackly_store::idempotency::purge_expired;
use trackly_store::migrations::{run_pending_migrations, schema_is_current};
use trackly_store::sessions::purge_ended_sessions as purge_sessions;

use crate::{App, AppError};

/// What preparing the database did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prepared {
    /// The database did not exist and was created.
    pub created: bool,
    /// Migrations applied now.
    pub migrations_applied: usize,
}

/// Connects to `database_url`, creating its database when it is missing (and the role
/// may), and applies every pending migration (under an advisory lock, so several nodes
/// starting at once apply them once).
pub fn prepare_database(database_url: &str) -> Result<Prepared, AppError> {
    let (mut conn, created) = connect_creating_database(database_url)?;
    let migrations_applied = run_pending_migrations(&mut conn)?;
    Ok(Prepared {
        created,
        migrations_applied,
    })
}

/// Checks that `database_url` names an existing database at the latest migration,
/// without creating or changing anything (for the commands that only read or manage
/// accounts). `NotFound` when the database does not exist.
pub fn check_database(database_url: &str) -> Result<bool, AppError> {
    let mut conn = connect_existing_database(database_url)?;
    Ok(schema_is_current(&mut conn)?)
}

/// True when the database answers and its schema is at the latest migration.
pub async fn ready(app: &App) -> Result<bool, AppError> {
    app.run(|conn| Ok(schema_is_current(conn)?)).await
}

/// Deletes idempotency records past their replay window; returns how many.
pub async fn purge_idempotency_records(app: &App) -> Result<usize, AppError> {
    let now = app.now();
    app.run(move |conn| Ok(purge_expired(conn, now)?)).await
}

/// Deletes dashboard sessions that ended (idle for 12 hours, or of a revoked key);
/// returns how many.
pub async fn purge_ended_sessions(app: &App) -> Result<usize, AppError> {
    let now = app.now();
    app.run(move |conn| Ok(purge_sessions(conn, now)?)).await
}

/// Creates the click partitions from last month to three months ahead; returns how many
/// were new.
pub async fn ensure_partitions(app: &App) -> Result<i32, AppError> {
    let now = app.now();
    app.run(move |conn| Ok(ensure_click_partitions(conn, now)?))
        .await
}
