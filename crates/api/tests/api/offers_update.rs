//! SPEC §3.4: updating offers, the metadata merge and slugs after a rename.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, send, TestApp};

fn id(offer: &Value) -> &str {
    offer["id"].as_str().expect("id")
}

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "A", "tracking_url": "https://a.example", "external_id": "e-1", "advertiser_id": "adv", "payout": 1}))
        .await;
    let (status, updated) = app
        .put_offer(
            id(&offer),
            &json!({"payout": "3.75", "filter_bots": true, "external_id": null}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(updated["payout"], json!(3.75));
    assert_eq!(updated["filter_bots"], true);
    assert_eq!(updated["external_id"], Value::Null, "null clears");
    assert_eq!(updated["advertiser_id"], "adv", "not sent, kept");
    assert_eq!(updated["name"], "A");
    assert_eq!(updated["slug"], offer["slug"]);
    let (_, fetched) = app.get_offer(id(&offer)).await;
    assert_eq!(fetched, updated, "the answer is what is stored");
}

#[tokio::test]
async fn patch_is_the_same_as_put() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let (status, body) = send(
        app.api(Method::PATCH, &format!("/api/v2/offers/{}", id(&offer)))
            .json(&json!({"status": "paused"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "paused");
}

#[tokio::test]
async fn rename_rebuilds_the_slug_and_keeps_the_code_so_old_slugs_still_work() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Summer Promo").await;
    let old_slug = offer["slug"].as_str().expect("slug").to_owned();
    let code = old_slug.rsplit('_').next().expect("code").to_owned();

    let (status, renamed) = app
        .put_offer(&old_slug, &json!({"name": "Summer Promo v2"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(renamed["slug"], format!("ofr_summer-promo-v2_{code}"));
    assert_eq!(
        renamed["click_url"], offer["click_url"],
        "the tracking link does not change"
    );
    let (status, by_old_slug) = app.get_offer(&old_slug).await;
    assert_eq!(status, 200);
    assert_eq!(by_old_slug["name"], "Summer Promo v2");
}

#[tokio::test]
async fn metadata_is_merged_and_null_removes_a_key() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "A", "tracking_url": "https://a.example", "metadata": {"vertical": "finance", "geo": "US", "tier": "1"}}))
        .await;
    let (status, updated) = app
        .put_offer(
            id(&offer),
            &json!({"metadata": {"geo": "CA", "tier": null, "new": "yes"}}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        updated["metadata"],
        json!({"vertical": "finance", "geo": "CA", "new": "yes"})
    );
}

#[tokio::test]
async fn twenty_parallel_merges_of_different_keys_all_survive() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let path = format!("/api/v2/offers/{}", id(&offer));
    let merges = (0..20).map(|i| {
        send(
            app.api(Method::PUT, &path)
                .json(&json!({"metadata": {format!("k{i}"): format!("v{i}")}})),
        )
    });
    for (status, body) in futures_util::future::join_all(merges).await {
        assert_eq!(status, 200, "{body}");
    }
    let (_, fetched) = app.get_offer(id(&offer)).await;
    let metadata = fetched["metadata"].as_object().expect("object");
    assert_eq!(metadata.len(), 20);
    for i in 0..20 {
        assert_eq!(metadata[&format!("k{i}")], format!("v{i}"));
    }
}

#[tokio::test]
async fn a_merge_past_fifty_keys_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let forty: serde_json::Map<String, Value> =
        (0..40).map(|i| (format!("a{i}"), json!("v"))).collect();
    let offer = app
        .create_offer_with(
            json!({"name": "A", "tracking_url": "https://a.example", "metadata": forty}),
        )
        .await;
    let eleven: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("b{i}"), json!("v"))).collect();
    let (status, body) = app
        .put_offer(id(&offer), &json!({"metadata": eleven, "name": "Changed"}))
        .await;
    assert_error(
        status,
        &body,
        400,
        "invalid_metadata",
        "51 keys after the merge",
    );
    assert_eq!(body["field"], "metadata");
    let (_, fetched) = app.get_offer(id(&offer)).await;
    assert_eq!(fetched, offer, "nothing changed, the name included");
}

#[tokio::test]
async fn update_refusals_name_their_codes_and_change_nothing() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let cases = [
        (json!({"name": ""}), "invalid_name", "empty name"),
        (json!({"name": null}), "invalid_name", "null name"),
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
            json!({"tracking_url": "ftp://x"}),
            "invalid_tracking_url",
            "ftp URL",
        ),
        (
            json!({"external_platform": "cake"}),
            "invalid_external_platform",
            "platform",
        ),
        (
            json!({"payout_type": "cpm"}),
            "invalid_payout_type",
            "payout type",
        ),
        (json!({"status": "deleted"}), "invalid_status", "status"),
        (json!({"payout": -1}), "invalid_payout", "negative payout"),
        (
            json!({"filter_bots": "no"}),
            "invalid_filter_bots",
            "filter_bots",
        ),
        (
            json!({"metadata": ["a"]}),
            "invalid_metadata",
            "metadata array",
        ),
        (
            json!({"external_id": 1}),
            "invalid_external_id",
            "external id",
        ),
        (
            json!({"advertiser_id": 1}),
            "invalid_advertiser_id",
            "advertiser id",
        ),
        (
            json!({"name": "Valid", "payout": "x"}),
            "invalid_payout",
            "a valid field beside an invalid one",
        ),
    ];
    for (body, code, description) in cases {
        let (status, answer) = app.put_offer(id(&offer), &body).await;
        assert_error(status, &answer, 400, code, description);
    }
    let (_, fetched) = app.get_offer(id(&offer)).await;
    assert_eq!(fetched, offer);
}

#[tokio::test]
async fn update_of_a_missing_offer_is_404() {
    let app = TestApp::spawn().await;
    let (status, body) = app
        .put_offer("664f1a2b3c4d5e6f7a8b9c0d", &json!({"name": "X"}))
        .await;
    assert_error(status, &body, 404, "not_found", "unknown id");
}

#[tokio::test]
async fn updated_at_moves_only_when_a_field_changes() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let (_, unchanged) = app
        .put_offer(id(&offer), &json!({"name": "A", "metadata": {}}))
        .await;
    assert_eq!(
        unchanged["updated_at"], offer["updated_at"],
        "same values are no change"
    );
    let (_, empty) = app.put_offer(id(&offer), &json!({})).await;
    assert_eq!(
        empty["updated_at"], offer["updated_at"],
        "an empty update is no change"
    );

    let (_, changed) = app.put_offer(id(&offer), &json!({"name": "B"})).await;
    assert_ne!(changed["updated_at"], offer["updated_at"]);
    assert_eq!(changed["created_at"], offer["created_at"]);
}
