//! One module per command group, and what they share: reaching the app.

pub mod accounts;
pub mod keys;
pub mod migrate;
pub mod serve;
pub mod sync;

use std::future::Future;

use trackly_app::{maintenance, App, AppError};

use crate::failure::Failure;

/// The app on the database of `database_url`, which must exist and be migrated: the
/// commands that manage accounts and keys never create a database (only `serve` and
/// `migrate` do), so a mistyped URL is an error, not a new empty database.
pub fn existing_app(database_url: Option<&str>) -> Result<App, Failure> {
    let database_url = database_url.ok_or_else(|| {
        Failure(
            "DATABASE_URL is not set: set it (or pass --database-url) to the database \
             `trackly serve` uses"
                .to_owned(),
        )
    })?;
    match maintenance::check_database(database_url) {
        Ok(true) => Ok(App::connect(database_url, 1)),
        Ok(false) => Err(Failure(format!(
            "the database at {} is not at the latest migration: run `trackly migrate` first",
            crate::failure::without_password(database_url)
        ))),
        Err(AppError::NotFound) => Err(Failure(format!(
            "the database at {} does not exist: start `trackly serve` or run `trackly migrate` \
             to create it",
            crate::failure::without_password(database_url)
        ))),
        Err(error) => Err(Failure::database(database_url, &error)),
    }
}

/// Runs one use case to completion on a runtime of the command's own.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure(format!("cannot start a runtime: {error}")))?;
    Ok(runtime.block_on(future))
}
