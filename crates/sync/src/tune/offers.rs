//! A TUNE offer row (INTEGRATIONS.md §1.4) mapped to our offer (§3).

use serde::Deserialize;
use trackly_domain::offer::{ExternalPlatform, OfferStatus, PayoutType};

use super::sub_ids::link_parameter;
use crate::linking::Linkable;
use crate::offer::{PlatformOffer, SkippedOffer};
use crate::settings::MessageIdField;
use crate::wire::amount::parse_amount;
use crate::wire::click_param::with_click_id_parameter;
use crate::wire::metadata::collect_metadata;
use crate::wire::scalar::Scalar;

/// One row of `Offer::findAll`: the offer under its model name.
#[derive(Deserialize)]
pub(crate) struct OfferRow {
    /// The offer's fields.
    #[serde(rename = "Offer")]
    pub(crate) offer: TuneOffer,
}

/// The offer fields the mapping reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TuneOffer {
    id: Scalar,
    name: Scalar,
    status: Scalar,
    advertiser_id: Scalar,
    payout_type: Scalar,
    default_payout: Scalar,
    percent_payout: Scalar,
    revenue_type: Scalar,
    currency: Scalar,
    preview_url: Scalar,
    offer_url: Scalar,
    expiration_date: Scalar,
    is_expired: Scalar,
}

impl Linkable for TuneOffer {
    fn id(&self) -> Option<&str> {
        self.id.text()
    }

    fn name(&self) -> Option<String> {
        self.name.text().map(str::to_owned)
    }
}

/// Our offer from a TUNE offer, its id and its `click_url`; a negative or unreadable
/// payout skips it.
pub(crate) fn map_offer(
    offer: TuneOffer,
    external_id: String,
    click_url: &str,
    message_id_field: MessageIdField,
) -> Result<PlatformOffer, SkippedOffer> {
    let payout_type = offer.payout_type.text();
    let payout = match (payout_type, offer.default_payout.text()) {
        (Some("cpa_percentage"), _) | (_, None) => Ok(rust_decimal::Decimal::ZERO),
        (_, Some(text)) => parse_amount(text),
    };
    let payout = match payout {
        Ok(payout) => payout,
        Err(problem) => {
            return Err(SkippedOffer {
                external_id: Some(external_id),
                name: offer.name.into_text(),
                reason: problem.describe("default_payout"),
            })
        }
    };
    Ok(PlatformOffer {
        external_platform: ExternalPlatform::Tune,
        payout,
        payout_type: tune_payout_type(payout_type),
        status: tune_offer_status(offer.status.text(), offer.is_expired.is_set_flag()),
        tracking_url: with_click_id_parameter(click_url, link_parameter(message_id_field)),
        metadata: collect_metadata([
            ("tune.payout_type", offer.payout_type.into_text()),
            ("tune.percent_payout", offer.percent_payout.into_text()),
            ("tune.revenue_type", offer.revenue_type.into_text()),
            ("tune.currency", offer.currency.into_text()),
            ("tune.preview_url", offer.preview_url.into_text()),
            ("tune.offer_url", offer.offer_url.into_text()),
            ("tune.expiration_date", offer.expiration_date.into_text()),
            ("tune.status", offer.status.into_text()),
        ]),
        external_id,
        name: offer.name.into_text().unwrap_or_default(),
        advertiser_id: offer.advertiser_id.into_text(),
    })
}

/// `cpc` pays per click; every other TUNE type pays per action.
fn tune_payout_type(payout_type: Option<&str>) -> PayoutType {
    match payout_type {
        Some("cpc") => PayoutType::Cpc,
        _ => PayoutType::Cpa,
    }
}

/// TUNE's status and expiry flag as ours; an unknown status is paused.
fn tune_offer_status(status: Option<&str>, is_expired: bool) -> OfferStatus {
    match status {
        _ if is_expired => OfferStatus::Archived,
        Some("active") => OfferStatus::Active,
        Some("expired" | "deleted") => OfferStatus::Archived,
        _ => OfferStatus::Paused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CLICK_URL: &str = "https://trk.example.com/aff_c?offer_id=532&aff_id=3";

    fn offer(fields: serde_json::Value) -> TuneOffer {
        serde_json::from_str(&fields.to_string()).unwrap_or_else(|error| panic!("{error}"))
    }

    fn mapped(fields: serde_json::Value) -> Result<PlatformOffer, SkippedOffer> {
        map_offer(
            offer(fields),
            "532".to_owned(),
            CLICK_URL,
            MessageIdField::AffSub,
        )
    }

    #[test]
    fn statuses_map_to_ours() {
        let cases = [
            (Some("active"), false, OfferStatus::Active, "active runs"),
            (Some("paused"), false, OfferStatus::Paused, "paused"),
            (
                Some("pending"),
                false,
                OfferStatus::Paused,
                "pending is not live yet",
            ),
            (Some("expired"), false, OfferStatus::Archived, "expired"),
            (Some("deleted"), false, OfferStatus::Archived, "deleted"),
            (
                Some("active"),
                true,
                OfferStatus::Archived,
                "is_expired wins over active",
            ),
            (
                Some("suspended"),
                false,
                OfferStatus::Paused,
                "unknown is paused",
            ),
            (None, false, OfferStatus::Paused, "absent is paused"),
        ];
        for (status, is_expired, expected, description) in cases {
            assert_eq!(
                tune_offer_status(status, is_expired),
                expected,
                "{description}"
            );
        }
    }

    #[test]
    fn payout_types_map_to_ours() {
        let cases = [
            (Some("cpc"), PayoutType::Cpc, "per click"),
            (Some("cpa_flat"), PayoutType::Cpa, "flat per action"),
            (
                Some("cpa_percentage"),
                PayoutType::Cpa,
                "percentage of the sale",
            ),
            (Some("cpa_both"), PayoutType::Cpa, "both"),
            (Some("cpm"), PayoutType::Cpa, "per thousand impressions"),
            (None, PayoutType::Cpa, "absent"),
        ];
        for (payout_type, expected, description) in cases {
            assert_eq!(tune_payout_type(payout_type), expected, "{description}");
        }
    }

    #[test]
    fn payouts_come_from_default_payout() {
        let cases = [
            (
                json!({"payout_type": "cpa_flat", "default_payout": "2.00000"}),
                "2",
                "flat, TUNE's five decimals",
            ),
            (
                json!({"payout_type": "cpa_flat", "default_payout": 2.5}),
                "2.5",
                "a JSON number",
            ),
            (
                json!({"payout_type": "cpa_flat", "default_payout": "1.23455"}),
                "1.2346",
                "rounded half-even, odd digit",
            ),
            (
                json!({"payout_type": "cpa_flat", "default_payout": "1.23445"}),
                "1.2344",
                "rounded half-even, even digit",
            ),
            (
                json!({"payout_type": "cpa_percentage", "default_payout": "5.00", "percent_payout": "10"}),
                "0",
                "percentage pays no flat amount",
            ),
            (
                json!({"payout_type": "cpa_both", "default_payout": "1.50", "percent_payout": "5"}),
                "1.5",
                "both keeps the flat part",
            ),
            (
                json!({"payout_type": "cpc", "default_payout": "0.10"}),
                "0.1",
                "per click",
            ),
            (
                json!({"payout_type": "cpa_flat", "default_payout": null}),
                "0",
                "null",
            ),
            (
                json!({"payout_type": "cpa_flat", "default_payout": ""}),
                "0",
                "empty string",
            ),
            (json!({}), "0", "absent"),
        ];
        for (fields, expected, description) in cases {
            let offer =
                mapped(fields).unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(offer.payout.to_string(), expected, "{description}");
        }
    }

    #[test]
    fn unusable_payouts_skip_the_offer() {
        let cases = [
            (
                json!({"name": "Neg", "default_payout": "-1.00"}),
                "default_payout \"-1.00\" is negative",
                "negative",
            ),
            (
                json!({"name": "Neg", "default_payout": "free"}),
                "default_payout \"free\" is not a number",
                "not a number",
            ),
        ];
        for (fields, reason, description) in cases {
            let skipped = mapped(fields).expect_err(description);
            assert_eq!(
                skipped,
                SkippedOffer {
                    external_id: Some("532".to_owned()),
                    name: Some("Neg".to_owned()),
                    reason: reason.to_owned(),
                },
                "{description}"
            );
        }
    }

    #[test]
    fn the_documented_offer_maps_completely() {
        let fields = json!({
            "id": "532", "name": "BINGO Blitz - iPhone US", "status": "active",
            "advertiser_id": "18", "payout_type": "cpa_flat", "default_payout": "2.00",
            "percent_payout": null, "revenue_type": "cpa_flat", "currency": null,
            "offer_url": "https://adv.example/lp?tid={transaction_id}",
            "preview_url": "https://itunes.apple.com/us/app/id529996768",
            "expiration_date": "2027-10-31", "is_expired": "0", "require_approval": "0",
            "is_private": "0", "modified": "2026-02-27 10:15:00"
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
                ("tune.expiration_date", "2027-10-31"),
                (
                    "tune.offer_url",
                    "https://adv.example/lp?tid={transaction_id}"
                ),
                ("tune.payout_type", "cpa_flat"),
                (
                    "tune.preview_url",
                    "https://itunes.apple.com/us/app/id529996768"
                ),
                ("tune.revenue_type", "cpa_flat"),
                ("tune.status", "active"),
            ],
            "null fields leave no key"
        );
        assert_eq!(offer.external_platform, ExternalPlatform::Tune);
        assert_eq!(offer.external_id, "532");
        assert_eq!(offer.name, "BINGO Blitz - iPhone US");
        assert_eq!(offer.advertiser_id.as_deref(), Some("18"));
        assert_eq!(offer.status, OfferStatus::Active);
        assert_eq!(
            offer.tracking_url,
            "https://trk.example.com/aff_c?offer_id=532&aff_id=3&aff_sub={click_id}"
        );
    }

    #[test]
    fn the_click_id_goes_in_the_message_id_field_parameter() {
        let cases = [
            (MessageIdField::AffSub, "&aff_sub={click_id}", "the default"),
            (
                MessageIdField::AffSub3,
                "&aff_sub3={click_id}",
                "another sub",
            ),
            (
                MessageIdField::AffiliateUnique2,
                "&aff_unique2={click_id}",
                "a unique value",
            ),
            (MessageIdField::Source, "&source={click_id}", "source"),
        ];
        for (field, suffix, description) in cases {
            let offer = map_offer(offer(json!({})), "532".to_owned(), CLICK_URL, field)
                .unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(
                offer.tracking_url,
                format!("{CLICK_URL}{suffix}"),
                "{description}"
            );
        }
    }

    #[test]
    fn long_metadata_values_are_left_out() {
        let long_url = format!("https://adv.example/{}", "a".repeat(500));
        let offer = mapped(json!({"offer_url": long_url, "preview_url": "https://p.example"}))
            .unwrap_or_else(|skip| panic!("{}", skip.reason));
        assert!(!offer.metadata.contains_key("tune.offer_url"));
        assert_eq!(
            offer.metadata.get("tune.preview_url").map(String::as_str),
            Some("https://p.example")
        );
    }
}
