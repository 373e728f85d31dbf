//! SPEC §3.2 and §1.6: listing offers, filters and pagination.

use serde_json::{json, Value};

use crate::helpers::{assert_error, TestApp};

fn names(body: &Value) -> Vec<String> {
    body["offers"]
        .as_array()
        .expect("offers array")
        .iter()
        .map(|offer| offer["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn list_shows_non_archived_offers_newest_first_by_default() {
    let app = TestApp::spawn().await;
    for name in ["First", "Second", "Third"] {
        app.create_offer(name).await;
    }
    let archived = app.create_offer("Gone").await;
    app.delete_offer(archived["id"].as_str().expect("id")).await;

    let (status, body) = app.list_offers("").await;
    assert_eq!(status, 200);
    assert_eq!(names(&body), ["Third", "Second", "First"]);
    assert_eq!(
        body["pagination"],
        json!({"page": 1, "per_page": 50, "total": 3, "total_pages": 1})
    );
}

#[tokio::test]
async fn list_filters_by_status_name_platform_and_external_ids() {
    let app = TestApp::spawn().await;
    let url = "https://a.example";
    app.create_offer_with(json!({"name": "Summer Promo", "tracking_url": url, "external_platform": "tune", "external_id": "t-1"})).await;
    app.create_offer_with(json!({"name": "Winter 50%_off", "tracking_url": url, "external_platform": "everflow", "advertiser_id": "adv-7", "status": "paused"})).await;
    app.create_offer_with(json!({"name": "summer sale", "tracking_url": url}))
        .await;

    let cases = [
        ("?status=paused", vec!["Winter 50%_off"], "status"),
        (
            "?status=active",
            vec!["summer sale", "Summer Promo"],
            "active only",
        ),
        (
            "?q=SUMMER",
            vec!["summer sale", "Summer Promo"],
            "name, any case",
        ),
        ("?q=50%25_", vec!["Winter 50%_off"], "wildcards are literal"),
        ("?q=%25", vec!["Winter 50%_off"], "a lone percent sign"),
        ("?external_platform=tune", vec!["Summer Promo"], "platform"),
        ("?external_id=t-1", vec!["Summer Promo"], "external id"),
        (
            "?advertiser_id=adv-7",
            vec!["Winter 50%_off"],
            "advertiser id",
        ),
        (
            "?q=summer&external_platform=tune",
            vec!["Summer Promo"],
            "filters combine",
        ),
        ("?external_id=nope", vec![], "no match"),
    ];
    for (query, expected, description) in cases {
        let (status, body) = app.list_offers(query).await;
        assert_eq!(status, 200, "{description}");
        assert_eq!(names(&body), expected, "{description}");
        assert_eq!(body["pagination"]["total"], expected.len(), "{description}");
    }
}

#[tokio::test]
async fn list_refuses_bad_parameters_with_their_codes() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(256);
    let cases = [
        ("?page=0".to_owned(), "invalid_pagination", "page 0"),
        ("?page=-1".to_owned(), "invalid_pagination", "negative page"),
        ("?per_page=0".to_owned(), "invalid_pagination", "per_page 0"),
        (
            "?per_page=ten".to_owned(),
            "invalid_pagination",
            "per_page text",
        ),
        (
            "?page=1.5".to_owned(),
            "invalid_pagination",
            "fractional page",
        ),
        (
            "?status=deleted".to_owned(),
            "invalid_status",
            "unknown status",
        ),
        (
            "?external_platform=cake".to_owned(),
            "invalid_external_platform",
            "unknown platform",
        ),
        (
            format!("?q={long}"),
            "invalid_query",
            "q over 255 characters",
        ),
    ];
    for (query, code, description) in cases {
        let (status, body) = app.list_offers(&query).await;
        assert_error(status, &body, 400, code, description);
    }
}

#[tokio::test]
async fn pagination_edges() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        app.create_offer(&format!("Offer {i}")).await;
    }
    let (_, body) = app.list_offers("?per_page=2&page=2").await;
    assert_eq!(names(&body), ["Offer 2", "Offer 1"]);
    assert_eq!(
        body["pagination"],
        json!({"page": 2, "per_page": 2, "total": 5, "total_pages": 3})
    );

    let (_, body) = app.list_offers("?per_page=2&page=3").await;
    assert_eq!(names(&body), ["Offer 0"], "the last, partial page");

    let (status, body) = app.list_offers("?per_page=2&page=9").await;
    assert_eq!(status, 200, "a page past the end is not an error");
    assert_eq!(body["offers"], json!([]));
    assert_eq!(
        body["pagination"],
        json!({"page": 9, "per_page": 2, "total": 5, "total_pages": 3})
    );

    let (_, body) = app.list_offers("?per_page=1000").await;
    assert_eq!(body["pagination"]["per_page"], 100, "served as 100");
    assert_eq!(names(&body).len(), 5);
}

#[tokio::test]
async fn an_empty_list_has_zero_pages() {
    let app = TestApp::spawn().await;
    let (_, body) = app.list_offers("").await;
    assert_eq!(
        body,
        json!({"offers": [], "pagination": {"page": 1, "per_page": 50, "total": 0, "total_pages": 0}})
    );
}
