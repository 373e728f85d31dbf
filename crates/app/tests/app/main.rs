//! The use cases against real PostgreSQL, without HTTP: each test owns a database.

mod accounts;
mod dashboard;
mod helpers;
mod links;
mod offer_cache;
mod offers;
mod once;
mod retention;
mod revenue;
mod sessions;
mod stats;
