//! The embedded migrations, applied under an advisory lock so that several nodes starting
//! at once apply them exactly once.

use diesel::pg::PgConnection;
use diesel::sql_types::BigInt;
use diesel::{sql_query, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StoreError;

/// Every migration in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// The advisory-lock key that serialises migration runs ("trackly" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x0074_7261_636b_6c79;

/// Applies every pending migration; returns how many were applied.
pub fn run_pending_migrations(conn: &mut PgConnection) -> Result<usize, StoreError> {
    lock(conn, "pg_advisory_lock")?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.len())
        .map_err(|error| StoreError::Other(format!("migration failed: {error}")));
    let unlocked = lock(conn, "pg_advisory_unlock");
    let applied = applied?;
    unlocked?;
    Ok(applied)
}

/// Reverts every applied migration (used by the migration round-trip test).
pub fn revert_all_migrations(conn: &mut PgConnection) -> Result<usize, StoreError> {
    conn.revert_all_migrations(MIGRATIONS)
        .map(|versions| versions.len())
        .map_err(|error| StoreError::Other(format!("revert failed: {error}")))
}

/// True when the schema is at the latest embedded migration.
pub fn schema_is_current(conn: &mut PgConnection) -> Result<bool, StoreError> {
    conn.has_pending_migration(MIGRATIONS)
        .map(|pending| !pending)
        .map_err(|error| StoreError::Unavailable(error.to_string()))
}

fn lock(conn: &mut PgConnection, function: &str) -> Result<(), StoreError> {
    sql_query(format!("SELECT {function}($1)"))
        .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
        .execute(conn)
        .map(drop)
        .map_err(StoreError::from)
}
