//! Trackly's PostgreSQL store: the schema, embedded migrations, the r2d2 pool and plain
//! synchronous query functions that take a connection and speak domain types.

pub mod accounts;
pub mod api_keys;
pub mod clicks;
pub mod credentials;
pub mod database;
pub mod error;
pub mod idempotency;
pub mod migrations;
pub mod offers;
pub mod pool;
pub mod schema;

pub use diesel::pg::PgConnection;
pub use error::StoreError;
pub use pool::{build_pool, PgPool, PooledPg};
