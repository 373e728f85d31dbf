//! Trackly's PostgreSQL store: the schema, embedded migrations, the r2d2 pool and plain
//! synchronous query functions that take a connection and speak domain types.

pub mod accounts;
pub mod api_keys;
pub mod click_partitions;
mod click_rollups;
pub mod clicks;
pub mod database;
pub mod error;
mod first_clicks;
pub mod idempotency;
pub mod integrations;
pub mod link_messages;
mod link_offers;
mod link_stats;
pub mod links;
pub mod migrations;
pub mod offer_changes;
pub mod offers;
pub mod pool;
pub mod replication;
pub mod revenue;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod stats;
pub mod sync_runs;

pub use diesel::pg::PgConnection;
pub use diesel::result::Error as DieselError;
pub use error::StoreError;
pub use pool::{
    build_pool, build_quiet_pool, discard_idle, IsUnavailable, PgHandle, PgManager, PgPool,
    PooledPg,
};
