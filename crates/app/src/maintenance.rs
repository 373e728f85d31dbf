//! The database's upkeep: creating and migrating it, readiness, and the periodic jobs
//! (expired idempotency records and sessions, click partitions ahead of time and past
//! the retention).

use std::num::NonZeroU32;

use chrono::Duration;
use trackly_store::click_partitions::{drop_click_partitions_before, ensure_click_partitions};
use trackly_store::database::{connect_creating_database, connect_existing_database};
use trackly_store::idempotency::purge_expired;
use trackly_store::migrations::{run_pending_migrations, schema_is_current};
use trackly_store::sessions::purge_ended_sessions as purge_sessions;

use crate::{App, AppError, ReplicaState};

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

/// What readiness finds once the database answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// The schema is at the latest migration.
    pub schema_is_current: bool,
    /// The read replica's state, when there is one. It does not decide readiness: reads
    /// go to the primary while the replica cannot serve them.
    pub replica: Option<ReplicaState>,
}

/// Whether the database answers and its schema is at the latest migration, and the read
/// replica's state.
pub async fn ready(app: &App) -> Result<Readiness, AppError> {
    let schema_is_current = app.run(|conn| Ok(schema_is_current(conn)?)).await?;
    Ok(Readiness {
        schema_is_current,
        replica: app.replica_state(),
    })
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

/// What the click partition upkeep did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionUpkeep {
    /// Monthly partitions created ahead.
    pub created: i32,
    /// Monthly partitions dropped past the retention, oldest first.
    pub dropped: Vec<String>,
}

/// Creates the click partitions from last month to three months ahead and, with a
/// `retention` (`TRACKLY_CLICK_RETENTION_DAYS`), drops the months whose every click is
/// older than it. Stats of those days stay: they are read from the daily rollups.
pub async fn upkeep_click_partitions(
    app: &App,
    retention: Option<NonZeroU32>,
) -> Result<PartitionUpkeep, AppError> {
    let now = app.now();
    let keep_from = retention.map(|days| now - Duration::days(i64::from(days.get())));
    app.run(move |conn| {
        let created = ensure_click_partitions(conn, now, keep_from)?;
        let dropped = match keep_from {
            Some(keep_from) => drop_click_partitions_before(conn, keep_from)?,
            None => Vec::new(),
        };
        Ok(PartitionUpkeep { created, dropped })
    })
    .await
}
