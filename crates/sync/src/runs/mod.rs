//! The sync use cases (SPEC §10): connecting an account to a platform with its key
//! checked, and running offer and conversion syncs — on demand, on the schedule, or from
//! the CLI. A run reads the platform's whole sweep first, then writes it in one
//! transaction through the `app` layer: a platform that fails mid-sweep writes nothing.

mod connections;
mod mapping;
mod syncer;

pub use connections::{change, connect};
pub use syncer::{Schedule, Syncer};
