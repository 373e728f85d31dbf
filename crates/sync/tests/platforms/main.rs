//! The clients against the local fake platforms (SPEC §10.4): paging, mapping, the key
//! check, and every failure mode of INTEGRATIONS.md §5.

mod everflow_conversions;
mod everflow_offers;
mod failures;
mod helpers;
mod key_check;
mod tune_conversions;
mod tune_offers;
