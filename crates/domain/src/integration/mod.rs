//! Connections to the affiliate platforms TUNE and Everflow (SPEC §10): the connection a
//! marketer makes, its validated settings, the sync runs and what a run reports, and an
//! offer read from a platform checked against our offer rules.

mod input;
mod message_field;
mod model;
mod platform_key;
mod rules;
mod run;
mod synced_conversion;
mod synced_offer;

pub use input::{IntegrationChange, IntegrationInput, NewIntegration};
pub use message_field::MessageIdField;
pub use model::{Integration, IntegrationSettings};
pub use platform_key::{PlatformKey, PLATFORM_KEY_MAX_CHARS};
pub use rules::AFFILIATE_ID_MAX_DIGITS;
pub use run::{RunCounts, RunStatus, SyncKind, SyncRun, MAX_RUN_ERRORS};
pub use synced_conversion::{ConversionState, SyncedConversion};
pub use synced_offer::{PlatformOfferFields, SyncedOffer, PLATFORM_METADATA_PREFIXES};
