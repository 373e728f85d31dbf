//! A platform conversion mapped to what a revenue event needs (INTEGRATIONS.md §4), and
//! the conversions that could not be read. Which statuses to import, and what a later
//! rejection means, is the caller's decision: it knows what was imported before.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::wire::first_seen::split_first_seen;

/// A conversion's status on the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversionStatus {
    /// Payable.
    Approved,
    /// Awaiting the advertiser's approval.
    Pending,
    /// Rejected (duplicate, cap, fraud…).
    Rejected,
    /// Anything else, lowercased as the platform wrote it (e.g. `invalid`).
    Other(String),
}

impl ConversionStatus {
    /// Reads a platform status, ignoring case.
    pub(crate) fn from_platform(text: &str) -> Self {
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "approved" => Self::Approved,
            "pending" => Self::Pending,
            "rejected" => Self::Rejected,
            _ => Self::Other(lower),
        }
    }
}

/// One platform conversion in our terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformConversion {
    /// The platform's conversion id (TUNE `tune_event_id`, else `id`; Everflow
    /// `conversion_id`).
    pub conversion_id: String,
    /// Our revenue `txn_id`: `"tune:<id>"` or `"everflow:<id>"`.
    pub txn_id: String,
    /// The platform's status.
    pub status: ConversionStatus,
    /// What our account earns (TUNE `payout`, or `approved_payout` on the affiliate API
    /// when present; Everflow `payout`), rounded half-even to 4 digits, never negative.
    pub revenue: Decimal,
    /// When it happened, in UTC.
    pub occurred_at: DateTime<Utc>,
    /// Match step 1: platform click ids to try as our `click_id`, in order (TUNE
    /// `affiliate_click_id` then `ad_id`; Everflow `transaction_id`). Unfiltered: the
    /// caller looks up only values shaped like our ids.
    pub click_id_candidates: Vec<String>,
    /// Match step 2: the value of the connection's `message_id_field` (Everflow: `sub1`).
    pub message_field_value: Option<String>,
    /// Match step 3: the platform's offer id.
    pub offer_external_id: Option<String>,
    /// True for an Everflow post-conversion event (always false on TUNE).
    pub is_event: bool,
}

/// A platform conversion that could not be read, with the reason to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedConversion {
    /// The platform's conversion id, when the row had one.
    pub conversion_id: Option<String>,
    /// Why it was skipped, one sentence (a negative amount, a missing time…).
    pub reason: String,
}

/// Everything one conversion sweep found in its window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversionSweep {
    /// The conversions that mapped, in the platform's order.
    pub conversions: Vec<PlatformConversion>,
    /// The ones that did not, in the platform's order.
    pub skipped: Vec<SkippedConversion>,
}

impl ConversionSweep {
    /// Sorts mapped from skipped conversions. A conversion a shifting page served twice
    /// is kept once, as first seen.
    pub(crate) fn from_results(
        results: impl IntoIterator<Item = Result<PlatformConversion, SkippedConversion>>,
    ) -> Self {
        let (conversions, skipped) = split_first_seen(results, |result| match result {
            Ok(item) => Some(item.conversion_id.clone()),
            Err(skipped) => skipped.conversion_id.clone(),
        });
        Self {
            conversions,
            skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_without_regard_to_case() {
        let cases = [
            (
                "approved",
                ConversionStatus::Approved,
                "TUNE and Everflow spelling",
            ),
            ("Approved", ConversionStatus::Approved, "capitalised"),
            ("pending", ConversionStatus::Pending, "pending"),
            ("rejected", ConversionStatus::Rejected, "rejected"),
            (
                "INVALID",
                ConversionStatus::Other("invalid".to_owned()),
                "unknown statuses are kept, lowercased",
            ),
        ];
        for (text, expected, description) in cases {
            assert_eq!(
                ConversionStatus::from_platform(text),
                expected,
                "{description}"
            );
        }
    }
}
