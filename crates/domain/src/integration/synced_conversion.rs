//! A conversion read from a platform, in the terms revenue needs (SPEC §10.3).

use chrono::{DateTime, Utc};

use crate::money::Amount;

/// What a platform says of a conversion, as far as our revenue is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversionState {
    /// Approved or pending: revenue, the first time it is seen.
    Payable,
    /// Rejected: a refund of what was imported, if it was.
    Rejected,
}

/// One platform conversion to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedConversion {
    /// `"<platform>:<conversion id>"`: the revenue event's `txn_id`.
    pub txn_id: String,
    /// Payable or rejected.
    pub state: ConversionState,
    /// What our account earns.
    pub revenue: Amount,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Match step 1: the platform's click ids, tried as our `click_id`.
    pub click_candidates: Vec<String>,
    /// Match step 2: the `message_id_field` value, tried as our `click_id`, then as the
    /// message whose first click earns it.
    pub message_value: Option<String>,
    /// Match step 3: the platform's offer id, our offer's `external_id`.
    pub offer_external_id: Option<String>,
}

impl SyncedConversion {
    /// The `txn_id` of the refund a later rejection becomes.
    pub fn refund_txn_id(&self) -> String {
        format!("{}:refund", self.txn_id)
    }
}
