//! One module per command group.

pub mod accounts;
pub mod keys;
pub mod migrate;
pub mod serve;

use trackly_store::database::connect_creating_database;
use trackly_store::migrations::run_pending_migrations;
use trackly_store::PgConnection;

use crate::failure::Failure;

/// A connection to the database, created if missing, with every migration applied.
pub fn connect_migrated(database_url: &str) -> Result<PgConnection, Failure> {
    let (mut conn, created) = connect_creating_database(database_url)
        .map_err(|error| Failure::database(database_url, &error))?;
    if created {
        log::info!(
            "created database {}",
            crate::failure::without_password(database_url)
        );
    }
    let applied = run_pending_migrations(&mut conn)
        .map_err(|error| Failure::database(database_url, &error))?;
    if applied > 0 {
        log::info!("applied {applied} migration(s)");
    }
    Ok(conn)
}
