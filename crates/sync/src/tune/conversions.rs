//! A TUNE conversion report row (INTEGRATIONS.md §1.6) mapped to a revenue event (§4),
//! and the report fields asked for.

use chrono_tz::Tz;
use serde::Deserialize;

use super::api::TuneApi;
use super::local_time::read_local;
use super::sub_ids::report_field;
use crate::conversion::{ConversionStatus, PlatformConversion, SkippedConversion};
use crate::settings::MessageIdField;
use crate::wire::amount::parse_amount;
use crate::wire::scalar::Scalar;

/// One report row: fields grouped by model.
#[derive(Debug, Deserialize)]
pub(crate) struct ConversionRow {
    #[serde(default, rename = "Stat")]
    stat: Option<StatFields>,
    #[serde(default, rename = "ConversionsMobile")]
    mobile: Option<MobileFields>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatFields {
    tune_event_id: Scalar,
    id: Scalar,
    ad_id: Scalar,
    datetime: Scalar,
    status: Scalar,
    conversion_status: Scalar,
    payout: Scalar,
    approved_payout: Scalar,
    offer_id: Scalar,
    source: Scalar,
    affiliate_info1: Scalar,
    affiliate_info2: Scalar,
    affiliate_info3: Scalar,
    affiliate_info4: Scalar,
    affiliate_info5: Scalar,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MobileFields {
    affiliate_click_id: Scalar,
    affiliate_unique1: Scalar,
    affiliate_unique2: Scalar,
    affiliate_unique3: Scalar,
    affiliate_unique4: Scalar,
    affiliate_unique5: Scalar,
}

/// The `fields[]` of `getConversions`: only what the mapping reads, so neither API is
/// asked for a field it may not have.
pub(crate) fn report_fields(api: &TuneApi, message_id_field: MessageIdField) -> Vec<&'static str> {
    let mut fields = vec![
        "Stat.tune_event_id",
        "Stat.id",
        "Stat.ad_id",
        "Stat.datetime",
    ];
    fields.extend_from_slice(api.status_and_payout_fields());
    fields.extend([
        "Stat.offer_id",
        "ConversionsMobile.affiliate_click_id",
        report_field(message_id_field),
    ]);
    fields
}

/// Our conversion from a report row, with `Stat.datetime` read in `zone`.
pub(crate) fn map_conversion(
    row: ConversionRow,
    message_id_field: MessageIdField,
    zone: Tz,
) -> Result<PlatformConversion, SkippedConversion> {
    let stat = row.stat.unwrap_or_default();
    let mobile = row.mobile.unwrap_or_default();
    let Some(conversion_id) = stat
        .tune_event_id
        .text()
        .or(stat.id.text())
        .map(str::to_owned)
    else {
        return Err(SkippedConversion {
            conversion_id: None,
            reason: "the conversion has no tune_event_id or id".to_owned(),
        });
    };
    let skip = |reason: String| SkippedConversion {
        conversion_id: Some(conversion_id.clone()),
        reason,
    };
    let status = stat
        .status
        .text()
        .or(stat.conversion_status.text())
        .map(ConversionStatus::from_platform)
        .ok_or_else(|| skip("the conversion has no status".to_owned()))?;
    let (payout_field, payout_text) = match (stat.approved_payout.text(), stat.payout.text()) {
        (Some(approved), _) => ("approved_payout", approved),
        (None, Some(payout)) => ("payout", payout),
        (None, None) => return Err(skip("the conversion has no payout".to_owned())),
    };
    let revenue =
        parse_amount(payout_text).map_err(|problem| skip(problem.describe(payout_field)))?;
    let datetime = stat
        .datetime
        .text()
        .ok_or_else(|| skip("the conversion has no datetime".to_owned()))?;
    let occurred_at = read_local(datetime, zone).map_err(skip)?;
    let mut click_id_candidates: Vec<String> = Vec::new();
    for candidate in [mobile.affiliate_click_id.text(), stat.ad_id.text()]
        .into_iter()
        .flatten()
    {
        if !click_id_candidates.iter().any(|known| known == candidate) {
            click_id_candidates.push(candidate.to_owned());
        }
    }
    let message_field_value = match message_id_field {
        MessageIdField::AffSub => stat.affiliate_info1,
        MessageIdField::AffSub2 => stat.affiliate_info2,
        MessageIdField::AffSub3 => stat.affiliate_info3,
        MessageIdField::AffSub4 => stat.affiliate_info4,
        MessageIdField::AffSub5 => stat.affiliate_info5,
        MessageIdField::AffiliateUnique1 => mobile.affiliate_unique1,
        MessageIdField::AffiliateUnique2 => mobile.affiliate_unique2,
        MessageIdField::AffiliateUnique3 => mobile.affiliate_unique3,
        MessageIdField::AffiliateUnique4 => mobile.affiliate_unique4,
        MessageIdField::AffiliateUnique5 => mobile.affiliate_unique5,
        MessageIdField::Source => stat.source,
    }
    .into_text();
    Ok(PlatformConversion {
        txn_id: format!("tune:{conversion_id}"),
        conversion_id,
        status,
        revenue,
        occurred_at,
        click_id_candidates,
        message_field_value,
        offer_external_id: stat.offer_id.into_text(),
        is_event: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use serde_json::json;

    fn row(value: serde_json::Value) -> ConversionRow {
        serde_json::from_str(&value.to_string()).unwrap_or_else(|error| panic!("{error}"))
    }

    fn documented_stat() -> serde_json::Value {
        json!({
            "tune_event_id": "8e1c52f0c7b84b8d9f2d", "id": "98231", "ad_id": "102f1c3e5a9b7d",
            "datetime": "2026-03-02 13:45:10", "status": "approved", "payout": "2.00000",
            "revenue": "3.50000", "sale_amount": "0.00000", "currency": "USD", "offer_id": "532",
            "source": "", "affiliate_info1": "664f1a2b3c4d5e6f7a8b9c0d", "affiliate_info2": ""
        })
    }

    fn with_stat(changes: serde_json::Value) -> ConversionRow {
        let mut stat = documented_stat();
        for (key, value) in changes.as_object().into_iter().flatten() {
            stat[key] = value.clone();
        }
        row(json!({"Stat": stat, "ConversionsMobile": {"affiliate_click_id": null}}))
    }

    fn map(row: ConversionRow) -> Result<PlatformConversion, SkippedConversion> {
        map_conversion(row, MessageIdField::AffSub, Tz::UTC)
    }

    #[test]
    fn the_documented_row_maps_completely() {
        let conversion = map(with_stat(json!({}))).unwrap_or_else(|skip| panic!("{}", skip.reason));
        let expected = PlatformConversion {
            conversion_id: "8e1c52f0c7b84b8d9f2d".to_owned(),
            txn_id: "tune:8e1c52f0c7b84b8d9f2d".to_owned(),
            status: ConversionStatus::Approved,
            revenue: rust_decimal::Decimal::from(2),
            occurred_at: DateTime::parse_from_rfc3339("2026-03-02T13:45:10Z")
                .map(|instant| instant.with_timezone(&Utc))
                .unwrap_or_else(|error| panic!("{error}")),
            click_id_candidates: vec!["102f1c3e5a9b7d".to_owned()],
            message_field_value: Some("664f1a2b3c4d5e6f7a8b9c0d".to_owned()),
            offer_external_id: Some("532".to_owned()),
            is_event: false,
        };
        assert_eq!(conversion, expected);
    }

    #[test]
    fn ids_statuses_and_amounts() {
        let cases = [
            (
                json!({}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "2",
                "documented row",
            ),
            (
                json!({"tune_event_id": null}),
                "98231",
                ConversionStatus::Approved,
                "2",
                "falls back to the deprecated id",
            ),
            (
                json!({"tune_event_id": ""}),
                "98231",
                ConversionStatus::Approved,
                "2",
                "an empty event id is absent",
            ),
            (
                json!({"status": "pending"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Pending,
                "2",
                "pending",
            ),
            (
                json!({"status": "rejected"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Rejected,
                "2",
                "rejected",
            ),
            (
                json!({"status": null, "conversion_status": "approved"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "2",
                "the affiliate API's status field",
            ),
            (
                json!({"status": "test"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Other("test".to_owned()),
                "2",
                "other statuses are kept",
            ),
            (
                json!({"payout": "1.00005"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "1",
                "half-even to four digits",
            ),
            (
                json!({"payout": "1.00015"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "1.0002",
                "half-even upwards",
            ),
            (
                json!({"payout": 7.25}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "7.25",
                "a JSON number",
            ),
            (
                json!({"payout": "2.00000", "approved_payout": "1.50000"}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "1.5",
                "approved_payout wins when present",
            ),
            (
                json!({"payout": "2.00000", "approved_payout": ""}),
                "8e1c52f0c7b84b8d9f2d",
                ConversionStatus::Approved,
                "2",
                "an empty approved_payout is absent",
            ),
        ];
        for (changes, id, status, revenue, description) in cases {
            let conversion = map(with_stat(changes))
                .unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(conversion.conversion_id, id, "{description}");
            assert_eq!(conversion.txn_id, format!("tune:{id}"), "{description}");
            assert_eq!(conversion.status, status, "{description}");
            assert_eq!(conversion.revenue.to_string(), revenue, "{description}");
        }
    }

    #[test]
    fn unusable_rows_are_skipped_with_a_reason() {
        let cases = [
            (
                json!({"tune_event_id": null, "id": null}),
                None,
                "the conversion has no tune_event_id or id",
                "no id",
            ),
            (
                json!({"payout": "-2.00000"}),
                Some("8e1c52f0c7b84b8d9f2d"),
                "payout \"-2.00000\" is negative",
                "negative payout",
            ),
            (
                json!({"approved_payout": "-1"}),
                Some("8e1c52f0c7b84b8d9f2d"),
                "approved_payout \"-1\" is negative",
                "negative approved payout",
            ),
            (
                json!({"payout": null}),
                Some("8e1c52f0c7b84b8d9f2d"),
                "the conversion has no payout",
                "no payout",
            ),
            (
                json!({"status": ""}),
                Some("8e1c52f0c7b84b8d9f2d"),
                "the conversion has no status",
                "no status",
            ),
            (
                json!({"datetime": null}),
                Some("8e1c52f0c7b84b8d9f2d"),
                "the conversion has no datetime",
                "no datetime",
            ),
            (
                json!({"datetime": "yesterday"}),
                Some("8e1c52f0c7b84b8d9f2d"),
                "datetime \"yesterday\" is not YYYY-MM-DD HH:MM:SS",
                "unreadable datetime",
            ),
        ];
        for (changes, id, reason, description) in cases {
            let skipped = map(with_stat(changes)).expect_err(description);
            assert_eq!(skipped.conversion_id.as_deref(), id, "{description}");
            assert_eq!(skipped.reason, reason, "{description}");
        }
    }

    #[test]
    fn the_datetime_is_read_in_the_connection_zone() {
        let conversion = map_conversion(
            with_stat(json!({})),
            MessageIdField::AffSub,
            Tz::Europe__Berlin,
        )
        .unwrap_or_else(|skip| panic!("{}", skip.reason));
        assert_eq!(
            conversion.occurred_at.to_rfc3339(),
            "2026-03-02T12:45:10+00:00"
        );
    }

    #[test]
    fn click_id_candidates_come_in_match_order() {
        let cases = [
            (
                json!({"affiliate_click_id": "ours"}),
                json!("tune-session"),
                vec!["ours", "tune-session"],
                "affiliate_click_id first",
            ),
            (
                json!({"affiliate_click_id": null}),
                json!("tune-session"),
                vec!["tune-session"],
                "only ad_id",
            ),
            (
                json!({"affiliate_click_id": "same"}),
                json!("same"),
                vec!["same"],
                "the same value once",
            ),
            (json!(null), json!(""), vec![], "neither"),
        ];
        for (mobile, ad_id, expected, description) in cases {
            let mut stat = documented_stat();
            stat["ad_id"] = ad_id;
            let conversion = map(row(json!({"Stat": stat, "ConversionsMobile": mobile})))
                .unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(conversion.click_id_candidates, expected, "{description}");
        }
    }

    #[test]
    fn the_message_field_value_comes_from_its_report_field() {
        let stat_fields = json!({
            "affiliate_info1": "sub1", "affiliate_info2": "sub2", "affiliate_info3": "sub3",
            "affiliate_info4": "sub4", "affiliate_info5": "sub5", "source": "src"
        });
        let mobile = json!({
            "affiliate_unique1": "u1", "affiliate_unique2": "u2", "affiliate_unique3": "u3",
            "affiliate_unique4": "u4", "affiliate_unique5": ""
        });
        use MessageIdField::*;
        let cases = [
            (AffSub, Some("sub1"), "aff_sub is affiliate_info1"),
            (AffSub2, Some("sub2"), "aff_sub2"),
            (AffSub3, Some("sub3"), "aff_sub3"),
            (AffSub4, Some("sub4"), "aff_sub4"),
            (AffSub5, Some("sub5"), "aff_sub5"),
            (AffiliateUnique1, Some("u1"), "a unique value"),
            (AffiliateUnique2, Some("u2"), "unique 2"),
            (AffiliateUnique3, Some("u3"), "unique 3"),
            (AffiliateUnique4, Some("u4"), "unique 4"),
            (AffiliateUnique5, None, "an empty unique value is absent"),
            (Source, Some("src"), "source"),
        ];
        for (field, expected, description) in cases {
            let mut stat = documented_stat();
            for (key, value) in stat_fields.as_object().into_iter().flatten() {
                stat[key] = value.clone();
            }
            let conversion = map_conversion(
                row(json!({"Stat": stat, "ConversionsMobile": mobile})),
                field,
                Tz::UTC,
            )
            .unwrap_or_else(|skip| panic!("{description}: {}", skip.reason));
            assert_eq!(
                conversion.message_field_value.as_deref(),
                expected,
                "{description}"
            );
        }
    }

    #[test]
    fn report_fields_follow_the_api_and_the_message_field() {
        let network = TuneApi::for_affiliate(Some("3".to_owned()));
        let fields = report_fields(&network, MessageIdField::AffSub2);
        assert!(fields.contains(&"Stat.status"));
        assert!(fields.contains(&"Stat.affiliate_info2"));
        assert!(!fields.contains(&"Stat.approved_payout"));
        let affiliate = report_fields(&TuneApi::Affiliate, MessageIdField::AffiliateUnique1);
        assert!(affiliate.contains(&"Stat.conversion_status"));
        assert!(affiliate.contains(&"Stat.approved_payout"));
        assert!(affiliate.contains(&"ConversionsMobile.affiliate_unique1"));
        assert!(!affiliate.contains(&"Stat.status"));
    }
}
