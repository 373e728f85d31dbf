//! An Everflow offer (INTEGRATIONS.md §2.3, §2.4) mapped to our offer (§3).

use serde::Deserialize;
use trackly_domain::offer::{ExternalPlatform, OfferStatus, PayoutType};

use crate::linking::Linkable;
use crate::offer::{PlatformOffer, SkippedOffer};
use crate::wire::amount::parse_amount;
use crate::wire::click_param::with_click_id_parameter;
use crate::wire::metadata::collect_metadata;
use crate::wire::rows::Rows;
use crate::wire::scalar::Scalar;

/// The link parameter that carries our click id on Everflow.
const CLICK_PARAMETER: &str = "sub1";

/// The offer fields the mapping reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct EverflowOffer {
    network_offer_id: Scalar,
    name: Scalar,
    offer_status: Scalar,
    network_advertiser_id: Scalar,
    currency_id: Scalar,
    destination_url: Scalar,
    preview_url: Scalar,
    visibility: Scalar,
    relationship: Option<OfferRelationship>,
    /// Where create/update bodies put the entries; accepted here too.
    payout_revenue: Rows<PayoutEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OfferRelationship {
    payout_revenue: Option<EntryList>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntryList {
    entries: Rows<PayoutEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PayoutEntry {
    is_default: Scalar,
    payout_type: Scalar,
    payout_amount: Scalar,
    payout_percentage: Scalar,
    revenue_type: Scalar,
    revenue_amount: Scalar,
}

impl Linkable for EverflowOffer {
    fn id(&self) -> Option<&str> {
        self.network_offer_id.text()
    }

    fn name(&self) -> Option<String> {
        self.name.text().map(str::to_owned)
    }
}

impl EverflowOffer {
    /// The `is_default` payout entry, from `relationship.payout_revenue.entries` or the
    /// top-level `payout_revenue`.
    fn default_entry(&self) -> Option<&PayoutEntry> {
        let nested = self
            .relationship
            .as_ref()
            .and_then(|relationship| relationship.payout_revenue.as_ref())
            .map(|list| list.entries.0.as_slice())
            .unwrap_or_default();
        nested
            .iter()
            .chain(&self.payout_revenue.0)
            .find(|entry| entry.is_default.is_set_flag())
    }
}

/// Our offer from an Everflow offer, its id and its tracking `url`; a negative or
/// unreadable payout skips it.
pub(crate) fn map_offer(
    offer: EverflowOffer,
    external_id: String,
    url: &str,
) -> Result<PlatformOffer, SkippedOffer> {
    let entry = offer.default_entry();
    let payout = match entry.and_then(|entry| entry.payout_amount.text()) {
        Some(text) => parse_amount(text),
        None => Ok(rust_decimal::Decimal::ZERO),
    };
    let payout = match payout {
        Ok(payout) => payout,
        Err(problem) => {
            return Err(SkippedOffer {
                external_id: Some(external_id),
                name: offer.name.into_text(),
                reason: problem.describe("payout_amount"),
            })
        }
    };
    let entry_text = |pick: fn(&PayoutEntry) -> &Scalar| {
        entry
            .and_then(|entry| pick(entry).text())
            .map(str::to_owned)
    };
    let payout_type = everflow_payout_type(entry.and_then(|entry| entry.payout_type.text()));
    let metadata = collect_metadata([
        (
            "everflow.payout_type",
            entry_text(|entry| &entry.payout_type),
        ),
        (
            "everflow.payout_percentage",
            entry_text(|entry| &entry.payout_percentage),
        ),
        (
            "everflow.revenue_type",
            entry_text(|entry| &entry.revenue_type),
        ),
        (
            "everflow.revenue_amount",
            entry_text(|entry| &entry.revenue_amount),
        ),
        (
            "everflow.currency_id",
            offer.currency_id.text().map(str::to_owned),
        ),
        (
            "everflow.preview_url",
            offer.preview_url.text().map(str::to_owned),
        ),
        (
            "everflow.destination_url",
            offer.destination_url.text().map(str::to_owned),
        ),
        (
            "everflow.offer_status",
            offer.offer_status.text().map(str::to_owned),
        ),
        (
            "everflow.visibility",
            offer.visibility.text().map(str::to_owned),
        ),
    ]);
    Ok(PlatformOffer {
        external_platform: ExternalPlatform::Everflow,
        payout,
        payout_type,
        status: everflow_offer_status(offer.offer_status.text()),
        tracking_url: with_click_id_parameter(url, CLICK_PARAMETER),
        metadata,
        external_id,
        name: offer.name.into_text().unwrap_or_default(),
        advertiser_id: offer.network_advertiser_id.into_text(),
    })
}

/// `cpc` pays per click; every other Everflow type pays per action.
fn everflow_payout_type(payout_type: Option<&str>) -> PayoutType {
    match payout_type {
        Some("cpc") => PayoutType::Cpc,
        _ => PayoutType::Cpa,
    }
}

/// Everflow's `offer_status` as ours; an unknown status is paused.
fn everflow_offer_status(status: Option<&str>) -> OfferStatus {
    match status {
        Some("active") => OfferStatus::Active,
        Some("deleted") => OfferStatus::Archived,
        _ => OfferStatus::Paused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const URL: &str = "https://www.trk.example.com/4FQ2D/2CTPL/";

    fn mapped(fields: serde_json::Value) -> Result<PlatformOffer, SkippedOffer> {
        let offer: EverflowOffer =
            serde_json::from_str(&fields.to_string()).unwrap_or_else(|error| panic!("{error}"));
        map_offer(offer, "77".to_owned(), URL)
    }

    fn nested(entries: serde_json::Value) -> serde_json::Value {
        json!({"name": "Acme Offer", "relationship": {"payout_revenue": {"total": 1, "entries": entries}}})
    }

    #[test]
    fn statuses_map_to_ours() {
        let cases = [
            (Some("active"), OfferStatus::Active, "active"),
            (Some("paused"), OfferStatus::Paused, "paused"),
            (Some("pending"), OfferStatus::Paused, "pending is not live"),
            (Some("deleted"), OfferStatus::Archived, "soft-deleted"),
            (Some("archived"), OfferStatus::Paused, "unknown is paused"),
            (None, OfferStatus::Paused, "absent"),
        ];
        for (status, expected, description) in cases {
            assert_eq!(everflow_offer_status(status), expected, "{description}");
        }
    }

    #[test]
    fn payout_types_map_to_ours() {
        let cases = [
            (Some("cpc"), PayoutType::Cpc, "per click"),
            (Some("cpa"), PayoutType::Cpa, "per action"),
            (Some("cpm"), PayoutType::Cpa, "per thousand"),
            (Some("cps"), PayoutType::Cpa, "percentage of sale"),
            (Some("cpa_cps"), PayoutType::Cpa, "both"),
            (Some("prv"), PayoutType::Cpa, "prv"),
            (Some("cpc_sku"), PayoutType::Cpa, "sku variants are not cpc"),
            (Some("blank"), PayoutType::Cpa, "blank"),
            (None, PayoutType::Cpa, "absent"),
        ];
        for (payout_type, expected, description) in cases {
            assert_eq!(everflow_payout_type(payout_type), expected, "{description}");
        }
    }

    #[test]
    fn the_payout_comes_from_the_default_entry_in_either_place() {
        let cases = [
            (
                nested(json!([{"is_default": true, "payout_type": "cpa", "payout_amount": 5.0}])),
                "5",
                "nested under relationship",
            ),
            (
                json!({"payout_revenue": [{"is_default": true, "payout_type": "cpa", "payout_amount": 7.5}]}),
                "7.5",
                "top-level",
            ),
            (
                nested(
                    json!([{"is_default": false, "payout_amount": 9}, {"is_default": true, "payout_amount": 2.25}]),
                ),
                "2.25",
                "the default entry, not the first",
            ),
            (
                nested(json!([{"is_default": false, "payout_amount": 9}])),
                "0",
                "no default entry",
            ),
            (json!({"relationship": null}), "0", "no entries at all"),
            (
                nested(json!([{"is_default": true, "payout_amount": 0.00015}])),
                "0.0002",
                "rounded half-even",
            ),
            (
                nested(json!([{"is_default": true, "payout_amount": 1.1}])),
                "1.1",
                "a number that is not exact in binary",
            ),
        ];
        for (fields, expected, description) in cases {
            let offer =
                mapped(fields).unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(offer.payout.to_string(), expected, "{description}");
        }
    }

    #[test]
    fn a_negative_payout_skips_the_offer() {
        let skipped = mapped(nested(json!([{"is_default": true, "payout_amount": -5}])))
            .expect_err("a negative payout");
        assert_eq!(
            skipped,
            SkippedOffer {
                external_id: Some("77".to_owned()),
                name: Some("Acme Offer".to_owned()),
                reason: "payout_amount \"-5\" is negative".to_owned(),
            }
        );
    }

    #[test]
    fn the_documented_offer_maps_completely() {
        let fields = json!({
            "network_offer_id": 77, "network_id": 1, "network_advertiser_id": 42,
            "name": "Acme Offer", "offer_status": "active", "currency_id": "USD",
            "destination_url": "https://adv.example/lp?tid={transaction_id}",
            "preview_url": "https://adv.example/preview", "visibility": "public",
            "time_created": 1_700_000_000, "time_saved": 1_772_323_200_u64,
            "relationship": { "payout_revenue": { "total": 1, "entries": [ {
                "network_offer_payout_revenue_id": 901, "entry_name": "Base", "is_default": true,
                "payout_type": "cpa", "payout_amount": 5.0, "payout_percentage": 0,
                "revenue_type": "rpa", "revenue_amount": 10.0, "revenue_percentage": 0 } ] } }
        });
        let offer = mapped(fields).unwrap_or_else(|skip| panic!("{}", skip.reason));
        let metadata: Vec<(&str, &str)> = offer
            .metadata
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            metadata,
            [
                ("everflow.currency_id", "USD"),
                (
                    "everflow.destination_url",
                    "https://adv.example/lp?tid={transaction_id}"
                ),
                ("everflow.offer_status", "active"),
                ("everflow.payout_percentage", "0"),
                ("everflow.payout_type", "cpa"),
                ("everflow.preview_url", "https://adv.example/preview"),
                ("everflow.revenue_amount", "10.0"),
                ("everflow.revenue_type", "rpa"),
                ("everflow.visibility", "public"),
            ]
        );
        assert_eq!(offer.external_platform, ExternalPlatform::Everflow);
        assert_eq!(offer.external_id, "77");
        assert_eq!(offer.name, "Acme Offer");
        assert_eq!(offer.advertiser_id.as_deref(), Some("42"));
        assert_eq!(offer.status, OfferStatus::Active);
        assert_eq!(offer.payout_type, PayoutType::Cpa);
        assert_eq!(offer.payout.to_string(), "5");
        assert_eq!(offer.tracking_url, format!("{URL}?sub1={{click_id}}"));
    }

    #[test]
    fn long_metadata_values_are_left_out() {
        let long_url = format!("https://adv.example/{}", "a".repeat(500));
        let offer = mapped(json!({"destination_url": long_url, "visibility": "private"}))
            .unwrap_or_else(|skip| panic!("{}", skip.reason));
        assert!(!offer.metadata.contains_key("everflow.destination_url"));
        assert_eq!(
            offer
                .metadata
                .get("everflow.visibility")
                .map(String::as_str),
            Some("private")
        );
    }
}
