//! The offer as stored and shown (SPEC §2).

use chrono::{DateTime, Utc};

use super::fields::{ExternalPlatform, OfferName, OfferStatus, PayoutType, TrackingUrl};
use super::metadata::Metadata;
use crate::code::OfferCode;
use crate::id::ObjectId;
use crate::money::Amount;
use crate::slug::slug_for;

/// An offer of one account: where its clicks land, what it pays, where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The offer's id (SPEC §1.5).
    pub id: ObjectId,
    /// The account that owns it.
    pub account_id: ObjectId,
    /// The tracking-link code, fixed for the offer's life.
    pub code: OfferCode,
    /// The display name.
    pub name: OfferName,
    /// The advertiser's URL clicks are sent to.
    pub tracking_url: TrackingUrl,
    /// The affiliate platform, if any.
    pub external_platform: Option<ExternalPlatform>,
    /// The offer's id on that platform.
    pub external_id: Option<String>,
    /// The advertiser's id.
    pub advertiser_id: Option<String>,
    /// What a conversion (or, for `cpc`, a click) pays.
    pub payout: Amount,
    /// How the offer pays.
    pub payout_type: PayoutType,
    /// Whether bot clicks are left out of the stats.
    pub filter_bots: bool,
    /// Active, paused or archived.
    pub status: OfferStatus,
    /// Free-form string labels.
    pub metadata: Metadata,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When a field last changed.
    pub updated_at: DateTime<Utc>,
}

impl Offer {
    /// The slug, rebuilt from the current name and the fixed code.
    pub fn slug(&self) -> String {
        slug_for(self.name.as_str(), &self.code)
    }
}
