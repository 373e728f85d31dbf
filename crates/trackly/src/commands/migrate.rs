//! `trackly migrate`: create the database if needed and apply pending migrations.

use trackly_app::maintenance::prepare_database;

use crate::failure::{without_password, Failure};

/// Creates the database when it is missing (and the role may), applies pending
/// migrations, and says what it did.
pub fn run(database_url: &str) -> Result<(), Failure> {
    let prepared =
        prepare_database(database_url).map_err(|error| Failure::database(database_url, &error))?;
    if prepared.created {
        log::info!("created database {}", without_password(database_url));
    }
    if prepared.migrations_applied > 0 {
        log::info!("applied {} migration(s)", prepared.migrations_applied);
    }
    println!("Database schema is up to date.");
    Ok(())
}
