//! The Everflow conversions report (INTEGRATIONS.md §2.6): its request body, and a row
//! mapped to a revenue event (§4).

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::conversion::{ConversionStatus, PlatformConversion, SkippedConversion};
use crate::wire::amount::parse_amount;
use crate::wire::scalar::Scalar;

/// Everflow's `timezone_id` for UTC.
const UTC_TIMEZONE_ID: u32 = 67;
/// The request date format.
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// One conversion row: the fields the mapping reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct EverflowConversion {
    conversion_id: Scalar,
    transaction_id: Scalar,
    conversion_unix_timestamp: Scalar,
    status: Scalar,
    payout: Scalar,
    is_event: Scalar,
    sub1: Scalar,
    relationship: Option<ConversionRelationship>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConversionRelationship {
    offer: Option<OfferReference>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OfferReference {
    network_offer_id: Scalar,
}

/// The report body for `[from, to]` in UTC, conversions only.
pub(crate) fn report_body(from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    json!({
        "from": from.format(FORMAT).to_string(),
        "to": to.format(FORMAT).to_string(),
        "timezone_id": UTC_TIMEZONE_ID,
        "show_conversions": true,
        "show_events": false,
        "query": { "filters": [], "search_terms": [] },
    })
}

/// Our conversion from a report row.
pub(crate) fn map_conversion(
    row: EverflowConversion,
) -> Result<PlatformConversion, SkippedConversion> {
    let Some(conversion_id) = row.conversion_id.text().map(str::to_owned) else {
        return Err(SkippedConversion {
            conversion_id: None,
            reason: "the conversion has no conversion_id".to_owned(),
        });
    };
    let skip = |reason: String| SkippedConversion {
        conversion_id: Some(conversion_id.clone()),
        reason,
    };
    let status = row
        .status
        .text()
        .map(ConversionStatus::from_platform)
        .ok_or_else(|| skip("the conversion has no status".to_owned()))?;
    let payout = row
        .payout
        .text()
        .ok_or_else(|| skip("the conversion has no payout".to_owned()))?;
    let revenue = parse_amount(payout).map_err(|problem| skip(problem.describe("payout")))?;
    let timestamp = row
        .conversion_unix_timestamp
        .text()
        .ok_or_else(|| skip("the conversion has no conversion_unix_timestamp".to_owned()))?;
    let occurred_at = timestamp
        .parse::<i64>()
        .ok()
        .and_then(|seconds| Utc.timestamp_opt(seconds, 0).single())
        .ok_or_else(|| {
            skip(format!(
                "conversion_unix_timestamp {timestamp:?} is not a Unix time"
            ))
        })?;
    let offer_external_id = row
        .relationship
        .and_then(|relationship| relationship.offer)
        .and_then(|offer| offer.network_offer_id.into_text());
    Ok(PlatformConversion {
        txn_id: format!("everflow:{conversion_id}"),
        conversion_id,
        status,
        revenue,
        occurred_at,
        click_id_candidates: row.transaction_id.into_text().into_iter().collect(),
        message_field_value: row.sub1.into_text(),
        offer_external_id,
        is_event: row.is_event.is_set_flag(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documented(changes: Value) -> EverflowConversion {
        let mut row = json!({
            "conversion_id": "9c0534c99eb34b57bda16f92b6d5d3d4", "transaction_id": "a8f3c2e4b1d94e0f",
            "conversion_unix_timestamp": 1_772_365_510_u64, "click_unix_timestamp": 1_772_365_000_u64,
            "status": "approved", "payout_type": "cpa", "payout": 5.0, "revenue_type": "rpa",
            "revenue": 10.0, "sale_amount": 0, "currency_id": "USD", "is_event": false, "event": "Base",
            "sub1": "664f1a2b3c4d5e6f7a8b9c0d", "sub2": "", "source_id": "", "adv1": "", "order_id": "",
            "relationship": { "offer": { "network_offer_id": 77, "name": "Acme Offer" },
                              "affiliate": { "network_affiliate_id": 7 } }
        });
        for (key, value) in changes.as_object().into_iter().flatten() {
            row[key] = value.clone();
        }
        serde_json::from_str(&row.to_string()).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn the_documented_row_maps_completely() {
        let conversion =
            map_conversion(documented(json!({}))).unwrap_or_else(|skip| panic!("{}", skip.reason));
        let expected = PlatformConversion {
            conversion_id: "9c0534c99eb34b57bda16f92b6d5d3d4".to_owned(),
            txn_id: "everflow:9c0534c99eb34b57bda16f92b6d5d3d4".to_owned(),
            status: ConversionStatus::Approved,
            revenue: rust_decimal::Decimal::from(5),
            occurred_at: Utc
                .timestamp_opt(1_772_365_510, 0)
                .single()
                .unwrap_or_else(|| panic!("a valid time")),
            click_id_candidates: vec!["a8f3c2e4b1d94e0f".to_owned()],
            message_field_value: Some("664f1a2b3c4d5e6f7a8b9c0d".to_owned()),
            offer_external_id: Some("77".to_owned()),
            is_event: false,
        };
        assert_eq!(conversion, expected);
    }

    #[test]
    fn statuses_amounts_and_events() {
        let cases = [
            (
                json!({}),
                ConversionStatus::Approved,
                "5",
                false,
                "documented",
            ),
            (
                json!({"status": "pending"}),
                ConversionStatus::Pending,
                "5",
                false,
                "pending",
            ),
            (
                json!({"status": "rejected"}),
                ConversionStatus::Rejected,
                "5",
                false,
                "rejected",
            ),
            (
                json!({"status": "invalid"}),
                ConversionStatus::Other("invalid".to_owned()),
                "5",
                false,
                "other statuses are kept",
            ),
            (
                json!({"payout": 25.5}),
                ConversionStatus::Approved,
                "25.5",
                false,
                "whole units",
            ),
            (
                json!({"payout": 0.1}),
                ConversionStatus::Approved,
                "0.1",
                false,
                "not exact in binary, exact here",
            ),
            (
                json!({"payout": 1.00005}),
                ConversionStatus::Approved,
                "1",
                false,
                "half-even to four digits",
            ),
            (
                json!({"payout": "3.20"}),
                ConversionStatus::Approved,
                "3.2",
                false,
                "a numeric string",
            ),
            (
                json!({"is_event": true}),
                ConversionStatus::Approved,
                "5",
                true,
                "a post-conversion event",
            ),
        ];
        for (changes, status, revenue, is_event, description) in cases {
            let conversion = map_conversion(documented(changes))
                .unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(conversion.status, status, "{description}");
            assert_eq!(conversion.revenue.to_string(), revenue, "{description}");
            assert_eq!(conversion.is_event, is_event, "{description}");
        }
    }

    #[test]
    fn unusable_rows_are_skipped_with_a_reason() {
        let id = Some("9c0534c99eb34b57bda16f92b6d5d3d4");
        let cases = [
            (
                json!({"conversion_id": ""}),
                None,
                "the conversion has no conversion_id",
                "no id",
            ),
            (
                json!({"payout": -5.0}),
                id,
                "payout \"-5.0\" is negative",
                "negative payout",
            ),
            (
                json!({"payout": null}),
                id,
                "the conversion has no payout",
                "no payout",
            ),
            (
                json!({"status": null}),
                id,
                "the conversion has no status",
                "no status",
            ),
            (
                json!({"conversion_unix_timestamp": null}),
                id,
                "the conversion has no conversion_unix_timestamp",
                "no time",
            ),
            (
                json!({"conversion_unix_timestamp": "soon"}),
                id,
                "conversion_unix_timestamp \"soon\" is not a Unix time",
                "unreadable time",
            ),
        ];
        for (changes, conversion_id, reason, description) in cases {
            let skipped = map_conversion(documented(changes)).expect_err(description);
            assert_eq!(
                skipped.conversion_id.as_deref(),
                conversion_id,
                "{description}"
            );
            assert_eq!(skipped.reason, reason, "{description}");
        }
    }

    #[test]
    fn match_values_may_be_absent() {
        let conversion = map_conversion(documented(
            json!({"transaction_id": "", "sub1": null, "relationship": null}),
        ))
        .unwrap_or_else(|skip| panic!("{}", skip.reason));
        assert!(conversion.click_id_candidates.is_empty());
        assert_eq!(conversion.message_field_value, None);
        assert_eq!(conversion.offer_external_id, None);
    }

    #[test]
    fn the_report_body_asks_for_conversions_in_utc() {
        let from = Utc
            .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .unwrap_or_else(|| panic!("a valid time"));
        let to = Utc
            .with_ymd_and_hms(2026, 3, 8, 0, 0, 0)
            .single()
            .unwrap_or_else(|| panic!("a valid time"));
        assert_eq!(
            report_body(from, to),
            json!({
                "from": "2026-03-01 00:00:00", "to": "2026-03-08 00:00:00", "timezone_id": 67,
                "show_conversions": true, "show_events": false,
                "query": { "filters": [], "search_terms": [] }
            })
        );
    }
}
