//! Sync runs (SPEC §10.4): what kind, how it ended, what it counted and why things failed.

use chrono::{DateTime, Utc};

use crate::id::ObjectId;

/// The most errors one run keeps (SPEC §10.4).
pub const MAX_RUN_ERRORS: usize = 100;

wire_enum! {
    /// What a run syncs.
    SyncKind { /// The platform's offers, every 15 minutes.
    Offers = "offers", /// The last 7 days of conversions, hourly.
    Conversions = "conversions" }
}

wire_enum! {
    /// Where a run is. `running` until it ends; then `ok`, `partial` (written, with some
    /// items skipped or unmatched) or `failed` (nothing written).
    RunStatus { /// Still going.
    Running = "running", /// Every item was written.
    Ok = "ok", /// Written, but some items were skipped or unmatched (see the errors).
    Partial = "partial", /// Nothing was written: the platform failed, or the run was cut off.
    Failed = "failed" }
}

/// What a run counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Platform offers that became new offers.
    pub offers_created: u32,
    /// Existing offers that changed.
    pub offers_updated: u32,
    /// Platform offers that could not be written (reported in the errors).
    pub offers_skipped: u32,
    /// Conversions recorded as revenue events (refunds of later rejections included).
    pub conversions_imported: u32,
    /// Conversions recorded by an earlier run.
    pub duplicates: u32,
    /// Conversions that matched no click and no offer (reported in the errors).
    pub unmatched: u32,
}

/// One sync run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    /// The run's id.
    pub id: ObjectId,
    /// The connection it ran for.
    pub integration_id: ObjectId,
    /// Offers or conversions.
    pub kind: SyncKind,
    /// Where it is.
    pub status: RunStatus,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while running.
    pub finished_at: Option<DateTime<Utc>>,
    /// What it counted.
    pub counts: RunCounts,
    /// Why items were skipped or unmatched, or why the run failed; at most 100.
    pub errors: Vec<String>,
}
