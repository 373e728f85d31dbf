//! SPEC §6.1–§6.3: recording and listing revenue.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, send, TestApp};

async fn offer_with_payout(app: &TestApp, name: &str, external_id: Option<&str>) -> Value {
    app.create_offer_with(json!({"name": name, "tracking_url": "https://a.example", "payout": "2.5", "external_id": external_id}))
        .await
}

#[tokio::test]
async fn revenue_is_attributed_by_offer_id_slug_or_external_id() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", Some("tune-77")).await;
    let id = offer["id"].as_str().expect("id");
    for (reference, description) in [
        (id, "id"),
        (offer["slug"].as_str().expect("slug"), "slug"),
        ("tune-77", "external id"),
    ] {
        let (status, body) = app
            .post_revenue(&json!({"offer_id": reference, "revenue": 10, "message_id": "m-1"}))
            .await;
        assert_eq!(status, 201, "{description}: {body}");
        assert_eq!(body["success"], true);
        assert_eq!(body["offer_id"], id, "{description}");
        assert_eq!(body["revenue"], json!(10.0));
        assert_eq!(body["message_id"], "m-1");
        assert_eq!(body["click_id"], Value::Null);
        assert_eq!(body["revenue_id"].as_str().map(str::len), Some(24));
    }
    let (status, numeric) = app
        .post_revenue(&json!({"offer_id": offer["id"], "revenue": "0.0001"}))
        .await;
    assert_eq!((status, numeric["revenue"].clone()), (201, json!(0.0001)));
}

#[tokio::test]
async fn revenue_defaults_to_the_offers_payout() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", None).await;
    let (status, body) = app.post_revenue(&json!({"offer_id": offer["id"]})).await;
    assert_eq!(status, 201);
    assert_eq!(body["revenue"], json!(2.5));
}

#[tokio::test]
async fn revenue_by_click_takes_the_clicks_offer_and_checks_agreement() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Clicked", None).await;
    let other = offer_with_payout(&app, "Other", None).await;
    let click_id = app.store_click(
        &offer,
        chrono::Utc::now(),
        (
            "192.0.2.1",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        ),
        None,
    );

    let (status, body) = app
        .post_revenue(&json!({"click_id": click_id, "revenue": 3}))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["offer_id"], offer["id"]);
    assert_eq!(body["click_id"], click_id);

    let (status, body) = app
        .post_revenue(&json!({"click_id": click_id, "offer_id": offer["slug"]}))
        .await;
    assert_eq!(status, 201, "agreeing offer and click: {body}");
    let (status, body) = app
        .post_revenue(&json!({"click_id": click_id, "offer_id": other["id"]}))
        .await;
    assert_error(
        status,
        &body,
        400,
        "offer_mismatch",
        "the click is another offer's",
    );
}

#[tokio::test]
async fn unattributable_revenue_is_refused_with_its_code_and_stores_nothing() {
    let app = TestApp::spawn().await;
    offer_with_payout(&app, "One", Some("shared")).await;
    offer_with_payout(&app, "Two", Some("shared")).await;
    let theirs = app.other_account();
    let cases = [
        (
            json!({"offer_id": "shared"}),
            409,
            "ambiguous_offer",
            "external id of two offers",
        ),
        (
            json!({"offer_id": "nope"}),
            404,
            "offer_not_found",
            "unknown offer",
        ),
        (
            json!({"offer_id": "664f1a2b3c4d5e6f7a8b9c0d"}),
            404,
            "offer_not_found",
            "unknown id",
        ),
        (
            json!({"click_id": "664f1a2b3c4d5e6f7a8b9c0d"}),
            404,
            "click_not_found",
            "unknown click",
        ),
        (
            json!({"click_id": "not-an-id"}),
            404,
            "click_not_found",
            "malformed click id",
        ),
        (
            json!({"revenue": 1}),
            400,
            "missing_offer_id",
            "no offer, no click",
        ),
        (
            json!({"offer_id": "shared", "revenue": "x"}),
            400,
            "invalid_revenue",
            "bad revenue",
        ),
        (
            json!({"offer_id": "shared", "event_type": "purchase"}),
            400,
            "invalid_event_type",
            "bad event type",
        ),
        (
            json!({"offer_id": "shared", "attribution_type": "view"}),
            400,
            "invalid_attribution_type",
            "bad attribution",
        ),
        (
            json!({"offer_id": "shared", "message_id": "m".repeat(65)}),
            400,
            "invalid_message_id",
            "long message id",
        ),
        (
            json!({"offer_id": "shared", "txn_id": "t".repeat(256)}),
            400,
            "invalid_txn_id",
            "long txn id",
        ),
        (
            json!({"offer_id": "shared", "timestamp": "2999-01-01T00:00:00Z"}),
            400,
            "invalid_timestamp",
            "future",
        ),
        (
            json!({"offer_id": "shared", "click_id": 7}),
            400,
            "invalid_click_id",
            "click id a number",
        ),
    ];
    for (body, status, code, description) in cases {
        let (got, answer) = app.post_revenue(&body).await;
        assert_error(got, &answer, status, code, description);
    }
    let (status, body) = send(
        app.with_key(Method::POST, "/api/v2/revenue", &theirs.api_key)
            .json(&json!({"offer_id": "shared"})),
    )
    .await;
    assert_error(
        status,
        &body,
        404,
        "offer_not_found",
        "another account's external id",
    );
    assert_eq!(app.revenue_rows(), 0);
}

#[tokio::test]
async fn an_archived_offer_loses_an_external_id_tie_to_a_live_one() {
    let app = TestApp::spawn().await;
    let old = offer_with_payout(&app, "Old", Some("ev-1")).await;
    let new = offer_with_payout(&app, "New", Some("ev-1")).await;
    app.delete_offer(old["id"].as_str().expect("id")).await;
    let (status, body) = app.post_revenue(&json!({"offer_id": "ev-1"})).await;
    assert_eq!(status, 201);
    assert_eq!(body["offer_id"], new["id"]);
}

#[tokio::test]
async fn a_repeated_txn_id_answers_200_with_the_first_event() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", None).await;
    let (status, first) = app
        .post_revenue(&json!({"offer_id": offer["id"], "txn_id": "T-1", "revenue": 9}))
        .await;
    assert_eq!(status, 201);
    let (status, again) = app
        .post_revenue(&json!({"offer_id": offer["id"], "txn_id": "T-1", "revenue": 99}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["revenue_id"], first["revenue_id"]);
    assert_eq!(again["revenue"], json!(9.0), "the first event's body");
    assert_eq!(app.revenue_rows(), 1);
}

#[tokio::test]
async fn twenty_concurrent_posts_with_one_txn_id_store_one_event() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", None).await;
    let body = json!({"offer_id": offer["id"], "txn_id": "race", "revenue": 1});
    let answers = futures_util::future::join_all((0..20).map(|_| app.post_revenue(&body))).await;
    let ids: HashSet<_> = answers
        .iter()
        .map(|(_, body)| body["revenue_id"].clone())
        .collect();
    assert_eq!(
        answers.iter().filter(|(status, _)| *status == 201).count(),
        1,
        "{answers:?}"
    );
    assert!(answers
        .iter()
        .all(|(status, _)| *status == 201 || *status == 200));
    assert_eq!(ids.len(), 1, "every answer names the one event");
    assert_eq!(app.revenue_rows(), 1);
}

#[tokio::test]
async fn revenue_posts_honour_idempotency_keys() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", None).await;
    let post = || {
        app.api(Method::POST, "/api/v2/revenue")
            .header("Idempotency-Key", "conv-1")
            .json(&json!({"offer_id": offer["id"], "revenue": 4}))
            .send()
    };
    let first = post().await.expect("request");
    assert_eq!(first.status(), 201);
    let second = post().await.expect("request");
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(app.revenue_rows(), 1);
}

#[tokio::test]
async fn bulk_stores_the_valid_records_and_reports_the_rest_by_index() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", None).await;
    app.post_revenue(&json!({"offer_id": offer["id"], "txn_id": "seen"}))
        .await;
    let records = json!([
        {"offer_id": offer["id"], "revenue": 10, "txn_id": "b1"},
        {"offer_id": offer["id"], "revenue": -5},
        {"offer_id": "nope"},
        {"offer_id": offer["id"], "txn_id": "seen"},
        "not an object",
        {"offer_id": offer["id"], "revenue": "2.25", "event_type": "lead"},
        {"offer_id": offer["id"], "revenue": 1, "txn_id": "b1"}
    ]);
    let (status, body) = send(
        app.api(Method::POST, "/api/v2/revenue/bulk")
            .json(&json!({"records": records})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success_count"], 2);
    assert_eq!(
        body["duplicate_count"], 2,
        "a txn_id seen before, and one repeated within the batch"
    );
    assert_eq!(body["error_count"], 3);
    assert_eq!(body["total_revenue"], json!(12.25));
    let errors: Vec<(u64, String)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (
                error["index"].as_u64().expect("index"),
                error["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (1, "invalid_revenue".to_owned()),
            (2, "offer_not_found".to_owned()),
            (4, "invalid_record".to_owned())
        ]
    );
    assert!(body["errors"][0]["error"]
        .as_str()
        .is_some_and(|text| !text.is_empty()));
    assert_eq!(app.revenue_rows(), 3);
}

#[tokio::test]
async fn bulk_takes_a_thousand_records_and_refuses_more() {
    let app = TestApp::spawn().await;
    let offer = offer_with_payout(&app, "Promo", None).await;
    let records: Vec<Value> = (0..1000)
        .map(|i| json!({"offer_id": offer["id"], "revenue": 1, "txn_id": format!("t{i}")}))
        .collect();
    let (status, body) = send(
        app.api(Method::POST, "/api/v2/revenue/bulk")
            .json(&json!({"records": records})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["success_count"], 1000);
    assert_eq!(body["total_revenue"], json!(1000.0));
    assert_eq!(app.revenue_rows(), 1000);

    let too_many: Vec<Value> = (0..1001)
        .map(|_| json!({"offer_id": offer["id"]}))
        .collect();
    let (status, body) = send(
        app.api(Method::POST, "/api/v2/revenue/bulk")
            .json(&json!({"records": too_many})),
    )
    .await;
    assert_error(status, &body, 413, "too_many_records", "1,001 records");
    for (records, description) in [
        (json!(null), "null"),
        (json!([]), "empty"),
        (json!({"a": 1}), "an object"),
    ] {
        let (status, body) = send(
            app.api(Method::POST, "/api/v2/revenue/bulk")
                .json(&json!({"records": records})),
        )
        .await;
        assert_error(status, &body, 400, "missing_records", description);
    }
    let (status, body) = send(
        app.api(Method::POST, "/api/v2/revenue/bulk")
            .json(&json!({})),
    )
    .await;
    assert_error(status, &body, 400, "missing_records", "absent");
    assert_eq!(app.revenue_rows(), 1000);
}

#[tokio::test]
async fn revenue_list_filters_and_orders_by_occurrence() {
    let app = TestApp::spawn().await;
    let first = offer_with_payout(&app, "First", None).await;
    let second = offer_with_payout(&app, "Second", None).await;
    let events = [
        (&first, "2026-01-05T10:00:00Z", "sale", "a"),
        (&first, "2026-01-07T10:00:00Z", "refund", "b"),
        (&second, "2026-01-06T10:00:00+02:00", "lead", "c"),
    ];
    for (offer, at, event_type, txn) in events {
        let (status, _) = app
            .post_revenue(&json!({"offer_id": offer["id"], "timestamp": at, "event_type": event_type, "txn_id": txn}))
            .await;
        assert_eq!(status, 201);
    }
    let txns = |body: &Value| -> Vec<String> {
        body["revenue"]
            .as_array()
            .expect("array")
            .iter()
            .map(|e| e["txn_id"].as_str().expect("txn").to_owned())
            .collect()
    };
    let cases = [
        (
            String::new(),
            vec!["b", "c", "a"],
            "newest occurrence first",
        ),
        (
            format!("?offer_id={}", first["id"].as_str().expect("id")),
            vec!["b", "a"],
            "by offer id",
        ),
        (
            format!("?offer_id={}", second["slug"].as_str().expect("slug")),
            vec!["c"],
            "by slug",
        ),
        ("?event_type=refund".to_owned(), vec!["b"], "by event type"),
        (
            "?from=2026-01-06&to=2026-01-06".to_owned(),
            vec!["c"],
            "one UTC day",
        ),
        ("?offer_id=nope".to_owned(), vec![], "unknown offer"),
    ];
    for (query, expected, description) in cases {
        let (status, body) = send(app.api(Method::GET, &format!("/api/v2/revenue{query}"))).await;
        assert_eq!(status, 200, "{description}");
        assert_eq!(txns(&body), expected, "{description}");
    }
    let (_, body) = send(app.api(Method::GET, "/api/v2/revenue?per_page=1")).await;
    let event = &body["revenue"][0];
    assert_eq!(event["occurred_at"], "2026-01-07T10:00:00Z");
    assert_eq!(event["event_type"], "refund");
    assert_eq!(event["attribution_type"], "sale");
    assert_eq!(event["revenue"], json!(2.5));
    assert_eq!(
        body["pagination"],
        json!({"page": 1, "per_page": 1, "total": 3, "total_pages": 3})
    );

    let (status, body) = send(app.api(Method::GET, "/api/v2/revenue?event_type=purchase")).await;
    assert_error(
        status,
        &body,
        400,
        "invalid_event_type",
        "unknown event type",
    );
    let other = app.other_account();
    let (_, theirs) = send(app.with_key(Method::GET, "/api/v2/revenue", &other.api_key)).await;
    assert_eq!(
        theirs["pagination"]["total"], 0,
        "another account sees none"
    );
}
