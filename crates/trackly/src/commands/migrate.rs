//! `trackly migrate`: create the database if needed and apply pending migrations.

use crate::commands::connect_migrated;
use crate::failure::Failure;

/// Applies pending migrations and reports that the schema is current.
pub fn run(database_url: &str) -> Result<(), Failure> {
    connect_migrated(database_url)?;
    println!("Database schema is up to date.");
    Ok(())
}
