//! Trackly's HTTP API on actix-web: routes, extractors (API key, JSON body), the error
//! model of SPEC §1.3, idempotency and request ids. `serve` runs it on a listener.

pub mod auth;
pub mod body;
pub mod declared;
pub mod docs;
pub mod error;
pub mod idempotency;
pub mod openapi;
pub mod query;
pub mod rendered;
pub mod request_id;
pub mod requests;
pub mod routes;
pub mod server;
pub mod state;
pub mod views;

pub use error::ApiError;
pub use server::{serve, serve_with};
pub use state::{AppSettings, AppState};
