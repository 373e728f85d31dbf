//! SPEC §3.4: the update rules that differ from create.

use serde_json::{json, Map, Value};
use trackly_domain::offer::{Change, OfferStatus};
use trackly_domain::OfferPatch;

fn patch(value: Value) -> Result<OfferPatch, String> {
    let map: Map<String, Value> = value.as_object().expect("object").clone();
    OfferPatch::try_from(
        serde_json::from_value::<trackly_domain::offer::OfferPatchInput>(Value::Object(map))
            .expect("any object reads"),
    )
    .map_err(|error| error.code().to_owned())
}

#[test]
fn empty_update_changes_nothing() {
    assert_eq!(patch(json!({})), Ok(OfferPatch::default()));
}

#[test]
fn update_refusals_report_their_codes() {
    let cases = [
        (json!({"name": ""}), "invalid_name", "empty name"),
        (json!({"name": "  "}), "invalid_name", "blank name"),
        (json!({"name": null}), "invalid_name", "null name"),
        (json!({"name": 3}), "invalid_name", "number name"),
        (
            json!({"name": "n".repeat(256)}),
            "name_too_long",
            "long name",
        ),
        (
            json!({"tracking_url": null}),
            "invalid_tracking_url",
            "null URL",
        ),
        (
            json!({"tracking_url": ""}),
            "invalid_tracking_url",
            "empty URL",
        ),
        (
            json!({"status": "deleted"}),
            "invalid_status",
            "unknown status",
        ),
        (json!({"status": null}), "invalid_status", "null status"),
        (json!({"payout": null}), "invalid_payout", "null payout"),
        (
            json!({"payout_type": null}),
            "invalid_payout_type",
            "null payout type",
        ),
        (
            json!({"filter_bots": null}),
            "invalid_filter_bots",
            "null filter_bots",
        ),
        (
            json!({"metadata": null}),
            "invalid_metadata",
            "null metadata",
        ),
        (
            json!({"metadata": {"k": 1}}),
            "invalid_metadata",
            "number in metadata",
        ),
        (
            json!({"external_id": 5}),
            "invalid_external_id",
            "number external id",
        ),
        (
            json!({"advertiser_id": []}),
            "invalid_advertiser_id",
            "array advertiser id",
        ),
    ];
    for (input, code, description) in cases {
        assert_eq!(patch(input), Err(code.to_owned()), "{description}");
    }
}

#[test]
fn archived_status_and_null_references_are_accepted() {
    let parsed = patch(json!({
        "status": "archived",
        "external_platform": null,
        "external_id": null,
        "advertiser_id": "adv-9",
        "metadata": {"geo": "CA", "vertical": null}
    }))
    .expect("valid");
    assert_eq!(parsed.status, Some(OfferStatus::Archived));
    assert_eq!(parsed.external_platform, Change::Set(None));
    assert_eq!(parsed.external_id, Change::Set(None));
    assert_eq!(parsed.advertiser_id, Change::Set(Some("adv-9".to_owned())));
    let metadata = parsed.metadata.expect("metadata sent");
    assert_eq!(metadata.remove, vec!["vertical".to_owned()]);
}
