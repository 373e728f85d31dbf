//! A platform offer mapped to our fields (INTEGRATIONS.md §3), and the offers that could
//! not be mapped. Name and URL limits are the caller's to check: it validates and skips.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use trackly_domain::offer::{ExternalPlatform, OfferStatus, PayoutType};

use crate::wire::first_seen::split_first_seen;

/// One platform offer in our terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformOffer {
    /// The platform it comes from.
    pub external_platform: ExternalPlatform,
    /// The platform's offer id (TUNE `Offer.id`, Everflow `network_offer_id`).
    pub external_id: String,
    /// The platform's display name, as sent.
    pub name: String,
    /// The platform's tracking link with our click-id parameter appended
    /// (`…&aff_sub={click_id}`, `…?sub1={click_id}`), braces literal.
    pub tracking_url: String,
    /// The flat payout, rounded half-even to 4 fractional digits, never negative.
    pub payout: Decimal,
    /// Per click or per action.
    pub payout_type: PayoutType,
    /// Active, paused or archived.
    pub status: OfferStatus,
    /// The platform's advertiser id, when it sends one.
    pub advertiser_id: Option<String>,
    /// Platform fields with no column, under `tune.` / `everflow.` keys; values over
    /// 500 characters are left out.
    pub metadata: BTreeMap<String, String>,
}

/// A platform offer that was not mapped, with the reason to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOffer {
    /// The platform's offer id, when the row had one.
    pub external_id: Option<String>,
    /// The platform's name for it, when the row had one.
    pub name: Option<String>,
    /// Why it was skipped, one sentence (e.g. the platform's refusal to make a link).
    pub reason: String,
}

/// Everything one offer sweep found: every page of the platform's offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferSweep {
    /// The offers that mapped, in the platform's order.
    pub offers: Vec<PlatformOffer>,
    /// The offers that did not, in the platform's order.
    pub skipped: Vec<SkippedOffer>,
}

impl OfferSweep {
    /// Sorts mapped from skipped offers. An offer a shifting page served twice is kept
    /// once, as first seen.
    pub(crate) fn from_results(
        results: impl IntoIterator<Item = Result<PlatformOffer, SkippedOffer>>,
    ) -> Self {
        let (offers, skipped) = split_first_seen(results, |result| match result {
            Ok(item) => Some(item.external_id.clone()),
            Err(skipped) => skipped.external_id.clone(),
        });
        Self { offers, skipped }
    }
}
