//! SPEC §3.1: creating offers.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, send, TestApp, PUBLIC_URL};

#[tokio::test]
async fn create_offer_documentation_example_answers_201_with_each_field_and_defaults() {
    let app = TestApp::spawn().await;
    let response = app
        .post_offer(&json!({
            "name": "Summer Promo",
            "tracking_url": "https://advertiser.com/track?click={click_id}",
            "external_platform": "tune",
            "external_id": "1234",
            "payout": 2.50,
            "metadata": {"vertical": "ecommerce", "geo": "US"}
        }))
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["success"], true);
    let offer = &body["offer"];
    assert_eq!(offer["name"], "Summer Promo");
    assert_eq!(
        offer["tracking_url"],
        "https://advertiser.com/track?click={click_id}"
    );
    assert_eq!(offer["external_platform"], "tune");
    assert_eq!(offer["external_id"], "1234");
    assert_eq!(offer["advertiser_id"], Value::Null);
    assert_eq!(offer["payout"], json!(2.5));
    assert_eq!(offer["payout_type"], "cpa");
    assert_eq!(offer["filter_bots"], false);
    assert_eq!(offer["status"], "active");
    assert_eq!(
        offer["metadata"],
        json!({"vertical": "ecommerce", "geo": "US"})
    );

    let id = offer["id"].as_str().expect("id");
    assert!(
        id.len() == 24
            && id
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let slug = offer["slug"].as_str().expect("slug");
    let code = slug.strip_prefix("ofr_summer-promo_").expect("slug shape");
    assert!(
        code.len() == 6
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert_eq!(offer["click_url"], format!("{PUBLIC_URL}/{code}"));
    for field in ["created_at", "updated_at"] {
        let text = offer[field].as_str().expect("timestamp");
        assert!(
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ").is_ok(),
            "{field}: {text}"
        );
    }
    assert_eq!(offer["created_at"], offer["updated_at"]);
}

#[tokio::test]
async fn create_offer_refusals_name_the_spec_code_and_field_and_store_nothing() {
    let app = TestApp::spawn().await;
    let url = "https://adv.example.com/";
    let cases = [
        (
            json!({"tracking_url": url}),
            "missing_name",
            "name",
            "name absent",
        ),
        (
            json!({"name": "  ", "tracking_url": url}),
            "missing_name",
            "name",
            "name blank",
        ),
        (
            json!({"name": "A"}),
            "missing_tracking_url",
            "tracking_url",
            "tracking_url absent",
        ),
        (
            json!({"name": 1, "tracking_url": url}),
            "invalid_name",
            "name",
            "name not a string",
        ),
        (
            json!({"name": "n".repeat(256), "tracking_url": url}),
            "name_too_long",
            "name",
            "256 characters",
        ),
        (
            json!({"name": "A", "tracking_url": "mailto:x@y.z"}),
            "invalid_tracking_url",
            "tracking_url",
            "not http",
        ),
        (
            json!({"name": "A", "tracking_url": url, "external_platform": "cake"}),
            "invalid_external_platform",
            "external_platform",
            "platform",
        ),
        (
            json!({"name": "A", "tracking_url": url, "payout_type": "cpm"}),
            "invalid_payout_type",
            "payout_type",
            "payout type",
        ),
        (
            json!({"name": "A", "tracking_url": url, "status": "archived"}),
            "invalid_status",
            "status",
            "archived on create",
        ),
        (
            json!({"name": "A", "tracking_url": url, "payout": "1.23456"}),
            "invalid_payout",
            "payout",
            "five decimals",
        ),
        (
            json!({"name": "A", "tracking_url": url, "filter_bots": "yes"}),
            "invalid_filter_bots",
            "filter_bots",
            "filter_bots",
        ),
        (
            json!({"name": "A", "tracking_url": url, "metadata": {"k": 5}}),
            "invalid_metadata",
            "metadata",
            "metadata",
        ),
        (
            json!({"name": "A", "tracking_url": url, "external_id": 5}),
            "invalid_external_id",
            "external_id",
            "external id",
        ),
        (
            json!({"name": "A", "tracking_url": url, "advertiser_id": "a".repeat(256)}),
            "invalid_advertiser_id",
            "advertiser_id",
            "advertiser id",
        ),
    ];
    for (body, code, field, description) in cases {
        let (status, answer) = send(app.api(Method::POST, "/api/v2/offers").json(&body)).await;
        assert_error(status, &answer, 400, code, description);
        assert_eq!(answer["field"], field, "{description}");
    }
    assert_eq!(app.offer_rows(), 0, "a refused request stores nothing");
}

#[tokio::test]
async fn create_offer_accepts_payout_as_numeric_string_and_keeps_four_decimals() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "A", "tracking_url": "https://a.example", "payout": "0.1234", "payout_type": "cpc", "filter_bots": true, "status": "paused"}))
        .await;
    assert_eq!(offer["payout"], json!(0.1234));
    assert_eq!(offer["payout_type"], "cpc");
    assert_eq!(offer["filter_bots"], true);
    assert_eq!(offer["status"], "paused");
}

#[tokio::test]
async fn fifty_parallel_creates_with_one_name_get_distinct_ids_and_codes() {
    let app = TestApp::spawn().await;
    let requests = (0..50).map(|_| app.create_offer("Same Name"));
    let offers = futures_util::future::join_all(requests).await;
    let ids: HashSet<_> = offers
        .iter()
        .map(|offer| offer["id"].as_str().expect("id").to_owned())
        .collect();
    let slugs: HashSet<_> = offers
        .iter()
        .map(|offer| offer["slug"].as_str().expect("slug").to_owned())
        .collect();
    assert_eq!(ids.len(), 50);
    assert_eq!(slugs.len(), 50, "every code differs");
    assert_eq!(app.offer_rows(), 50);
}
