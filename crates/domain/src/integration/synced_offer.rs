//! An offer read from a platform, checked against our offer rules (SPEC §10.2): it is
//! written whole or skipped with the reason, never half-written.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::InputError;
use crate::money::Amount;
use crate::offer::{
    ExternalPlatform, Metadata, NameProblem, OfferName, OfferStatus, PayoutType, TrackingUrl,
    EXTERNAL_REF_MAX_CHARS,
};

/// The metadata key prefixes that belong to the platforms: a sync replaces its own
/// platform's keys and keeps every other key.
pub const PLATFORM_METADATA_PREFIXES: [&str; 2] = ["tune.", "everflow."];

/// A platform offer that passes our rules, ready to create or update our twin of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedOffer {
    /// TUNE or Everflow.
    pub external_platform: ExternalPlatform,
    /// The platform's offer id.
    pub external_id: String,
    /// The name.
    pub name: OfferName,
    /// The platform's tracking link carrying our `{click_id}`.
    pub tracking_url: TrackingUrl,
    /// The payout.
    pub payout: Amount,
    /// Per click or per action.
    pub payout_type: PayoutType,
    /// Active, paused or archived.
    pub status: OfferStatus,
    /// The platform's advertiser id.
    pub advertiser_id: Option<String>,
    /// The platform's fields with no column, under this platform's prefix.
    pub platform_metadata: BTreeMap<String, String>,
}

/// A platform offer as read, before our rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformOfferFields<'a> {
    /// TUNE or Everflow.
    pub external_platform: ExternalPlatform,
    /// The platform's offer id.
    pub external_id: &'a str,
    /// The platform's name for it.
    pub name: &'a str,
    /// Its tracking link with our click-id parameter.
    pub tracking_url: &'a str,
    /// The flat payout.
    pub payout: Decimal,
    /// Per click or per action.
    pub payout_type: PayoutType,
    /// The mapped status.
    pub status: OfferStatus,
    /// The platform's advertiser id.
    pub advertiser_id: Option<&'a str>,
    /// Platform fields with no column.
    pub metadata: &'a BTreeMap<String, String>,
}

impl SyncedOffer {
    /// Checks a platform offer; the error is one sentence for the run report.
    pub fn new(fields: PlatformOfferFields<'_>) -> Result<Self, String> {
        let id = fields.external_id;
        if id.trim().is_empty() || id.chars().count() > EXTERNAL_REF_MAX_CHARS {
            return Err(format!(
                "offer id {id:?} is empty or over {EXTERNAL_REF_MAX_CHARS} characters"
            ));
        }
        let name = OfferName::parse(fields.name).map_err(|problem| match problem {
            NameProblem::Empty => format!("offer {id}: the name is empty"),
            NameProblem::TooLong => format!("offer {id}: the name is over 255 characters"),
            NameProblem::Unstorable => format!("offer {id}: the name holds a NUL character"),
        })?;
        let tracking_url = TrackingUrl::parse(fields.tracking_url).ok_or_else(|| {
            format!(
                "offer {id}: the tracking link is not an http(s) URL of at most 2048 characters"
            )
        })?;
        let payout = Amount::new(fields.payout)
            .ok_or_else(|| format!("offer {id}: the payout {} is out of range", fields.payout))?;
        let advertiser_id = fields.advertiser_id.map(str::to_owned);
        if advertiser_id
            .as_ref()
            .is_some_and(|advertiser| advertiser.chars().count() > EXTERNAL_REF_MAX_CHARS)
        {
            return Err(format!("offer {id}: the advertiser id is too long"));
        }
        Ok(Self {
            external_platform: fields.external_platform,
            external_id: id.to_owned(),
            name,
            tracking_url,
            payout,
            payout_type: fields.payout_type,
            status: fields.status,
            advertiser_id,
            platform_metadata: fields.metadata.clone(),
        })
    }

    /// The metadata our twin gets: `stored` without this platform's old keys, with its
    /// new ones. Refused when the result breaks the metadata limits (SPEC §2).
    pub fn metadata_over(&self, stored: &BTreeMap<String, String>) -> Result<Metadata, InputError> {
        let prefix = platform_prefix(self.external_platform);
        let mut merged: BTreeMap<String, String> = stored
            .iter()
            .filter(|(key, _)| !key.starts_with(prefix))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        merged.extend(self.platform_metadata.clone());
        Metadata::from_map(merged)
    }
}

/// The metadata prefix of `platform`'s keys.
fn platform_prefix(platform: ExternalPlatform) -> &'static str {
    match platform {
        ExternalPlatform::Tune => PLATFORM_METADATA_PREFIXES[0],
        ExternalPlatform::Everflow => PLATFORM_METADATA_PREFIXES[1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(
        name: &'a str,
        metadata: &'a BTreeMap<String, String>,
    ) -> PlatformOfferFields<'a> {
        PlatformOfferFields {
            external_platform: ExternalPlatform::Tune,
            external_id: "532",
            name,
            tracking_url: "https://trk.example/aff_c?offer_id=532&aff_sub={click_id}",
            payout: Decimal::new(200, 2),
            payout_type: PayoutType::Cpa,
            status: OfferStatus::Active,
            advertiser_id: Some("18"),
            metadata,
        }
    }

    #[test]
    fn offers_breaking_our_rules_are_refused_with_a_reason() {
        let metadata = BTreeMap::new();
        let long = "n".repeat(300);
        let reason = SyncedOffer::new(fields(&long, &metadata)).expect_err("too long");
        assert!(reason.contains("over 255 characters"), "{reason}");
        let mut bad_url = fields("Bingo", &metadata);
        bad_url.tracking_url = "javascript:alert(1)";
        assert!(SyncedOffer::new(bad_url).is_err());
    }

    #[test]
    fn a_sync_replaces_only_its_own_platforms_metadata() {
        let new_keys = BTreeMap::from([("tune.currency".to_owned(), "USD".to_owned())]);
        let offer = SyncedOffer::new(fields("Bingo", &new_keys)).expect("valid");
        let stored = BTreeMap::from([
            ("tune.status".to_owned(), "active".to_owned()),
            ("everflow.visibility".to_owned(), "public".to_owned()),
            ("campaign".to_owned(), "spring".to_owned()),
        ]);
        let merged = offer.metadata_over(&stored).expect("within limits");
        let keys: Vec<&str> = merged.entries().keys().map(String::as_str).collect();
        assert_eq!(keys, ["campaign", "everflow.visibility", "tune.currency"]);
    }
}
