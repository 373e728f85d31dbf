//! SPEC §7: per-offer and per-account stats, against numbers computed by hand.

use chrono::{Duration, NaiveTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use trackly_domain::click::BotReason;

use crate::helpers::{assert_error, send, TestApp};

const PHONE: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148 Safari/604.1";
const CRAWLER: &str = "Googlebot/2.1";

/// Three days: D1 two days ago, D2 yesterday, D3 today.
fn day(offset: i64) -> chrono::NaiveDate {
    Utc::now().date_naive() - Duration::days(2 - offset)
}

/// The same clicks for an offer: D1 three human clicks from two visitors and two bot
/// clicks from a crawler; D2 one human click and one HEAD from that same visitor.
fn seed_clicks(app: &TestApp, offer: &Value) {
    let at = |offset: i64, hour: u32| {
        day(offset)
            .and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("time"))
            .and_utc()
    };
    let clicks = [
        (at(0, 9), ("198.51.100.1", PHONE), None),
        (at(0, 10), ("198.51.100.1", PHONE), None),
        (at(0, 11), ("198.51.100.2", PHONE), None),
        (
            at(0, 12),
            ("203.0.113.5", CRAWLER),
            Some(BotReason::BotUserAgent),
        ),
        (
            at(0, 13),
            ("203.0.113.5", CRAWLER),
            Some(BotReason::BotUserAgent),
        ),
        (at(1, 9), ("198.51.100.1", PHONE), None),
        (
            at(1, 10),
            ("198.51.100.1", PHONE),
            Some(BotReason::HeadRequest),
        ),
    ];
    for (time, visitor, reason) in clicks {
        app.store_click(offer, time, visitor, reason);
    }
}

async fn post_event(
    app: &TestApp,
    offer: &Value,
    offset: i64,
    event_type: &str,
    revenue: Option<&str>,
) {
    let timestamp = format!("{}T15:00:00Z", day(offset));
    let mut body =
        json!({"offer_id": offer["id"], "event_type": event_type, "timestamp": timestamp});
    if let Some(revenue) = revenue {
        body["revenue"] = json!(revenue);
    }
    let (status, answer) = app.post_revenue(&body).await;
    assert_eq!(status, 201, "{answer}");
}

async fn stats(app: &TestApp, offer: &Value) -> Value {
    let path = format!(
        "/api/v2/offers/{}/stats?from={}&to={}",
        offer["id"].as_str().expect("id"),
        day(0),
        day(2)
    );
    let (status, body) = send(app.api(Method::GET, &path)).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn offer_stats_follow_the_spec_definitions() {
    let app = TestApp::spawn().await;
    // A: cpa, payout 2, bots filtered. Events: D1 a sale of 10 and a lead at the payout;
    // D2 a refund of 4 and a sale of 5.5.
    let filtered = app
        .create_offer_with(json!({"name": "Filtered", "tracking_url": "https://a.example", "payout": 2, "filter_bots": true}))
        .await;
    seed_clicks(&app, &filtered);
    post_event(&app, &filtered, 0, "sale", Some("10")).await;
    post_event(&app, &filtered, 0, "lead", None).await;
    post_event(&app, &filtered, 1, "refund", Some("4")).await;
    post_event(&app, &filtered, 1, "sale", Some("5.5")).await;

    let body = stats(&app, &filtered).await;
    assert_eq!(body["offer_id"], filtered["id"]);
    assert_eq!(
        (body["from"].clone(), body["to"].clone()),
        (json!(day(0).to_string()), json!(day(2).to_string()))
    );
    assert_eq!(
        body["daily"],
        json!([
            {"date": day(0).to_string(), "clicks": 3, "unique_clicks": 2, "bot_clicks": 2, "first_clicks": 0, "conversions": 2, "revenue": 12.0},
            {"date": day(1).to_string(), "clicks": 1, "unique_clicks": 1, "bot_clicks": 1, "first_clicks": 0, "conversions": 1, "revenue": 1.5},
            {"date": day(2).to_string(), "clicks": 0, "unique_clicks": 0, "bot_clicks": 0, "first_clicks": 0, "conversions": 0, "revenue": 0.0},
        ])
    );
    assert_eq!(
        body["totals"],
        json!({"clicks": 4, "unique_clicks": 3, "bot_clicks": 3, "first_clicks": 0, "conversions": 3, "revenue": 13.5, "epc": 3.375, "conversion_rate": 0.75})
    );

    // B: cpc, payout 0.25, bots counted. Event: D2 a chargeback of 1.
    let counted = app
        .create_offer_with(json!({"name": "Counted", "tracking_url": "https://a.example", "payout": "0.25", "payout_type": "cpc"}))
        .await;
    seed_clicks(&app, &counted);
    post_event(&app, &counted, 1, "chargeback", Some("1")).await;
    let body = stats(&app, &counted).await;
    assert_eq!(
        body["daily"][0],
        json!({"date": day(0).to_string(), "clicks": 5, "unique_clicks": 3, "bot_clicks": 2, "first_clicks": 0, "conversions": 0, "revenue": 1.25})
    );
    assert_eq!(
        body["daily"][1],
        json!({"date": day(1).to_string(), "clicks": 2, "unique_clicks": 1, "bot_clicks": 1, "first_clicks": 0, "conversions": 0, "revenue": -0.5})
    );
    assert_eq!(
        body["totals"],
        json!({"clicks": 7, "unique_clicks": 4, "bot_clicks": 3, "first_clicks": 0, "conversions": 0, "revenue": 0.75, "epc": 0.1071, "conversion_rate": 0.0})
    );

    // The account overview: highest revenue first, archived offers left out.
    let idle = app.create_offer("Idle").await;
    let gone = app.create_offer("Gone").await;
    app.delete_offer(gone["id"].as_str().expect("id")).await;
    let (status, overview) = send(app.api(
        Method::GET,
        &format!("/api/v2/stats/offers?from={}&to={}", day(0), day(2)),
    ))
    .await;
    assert_eq!(status, 200, "{overview}");
    let order: Vec<Value> = overview["offers"]
        .as_array()
        .expect("array")
        .iter()
        .map(|o| o["offer_id"].clone())
        .collect();
    assert_eq!(
        order,
        [
            filtered["id"].clone(),
            counted["id"].clone(),
            idle["id"].clone()
        ]
    );
    assert_eq!(overview["offers"][0]["name"], "Filtered");
    assert_eq!(overview["offers"][0]["status"], "active");
    assert_eq!(
        overview["offers"][0]["totals"],
        stats(&app, &filtered).await["totals"]
    );
    assert_eq!(overview["offers"][2]["totals"]["epc"], json!(0.0));
    assert_eq!(
        overview["pagination"],
        json!({"page": 1, "per_page": 50, "total": 3, "total_pages": 1})
    );
    let (_, second_page) = send(app.api(
        Method::GET,
        &format!(
            "/api/v2/stats/offers?from={}&to={}&per_page=2&page=2",
            day(0),
            day(2)
        ),
    ))
    .await;
    assert_eq!(second_page["offers"][0]["offer_id"], idle["id"]);
}

#[tokio::test]
async fn stats_cover_the_last_seven_days_by_default_and_refuse_bad_ranges() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let id = offer["id"].as_str().expect("id");
    let (status, body) = send(app.api(
        Method::GET,
        &format!(
            "/api/v2/offers/{}/stats",
            offer["slug"].as_str().expect("slug")
        ),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["offer_id"], id, "a slug answers with the id");
    assert_eq!(body["to"], Utc::now().date_naive().to_string());
    assert_eq!(body["daily"].as_array().map(Vec::len), Some(7));
    assert_eq!(body["totals"]["epc"], json!(0.0));

    let cases = [
        "?from=2026-01-08&to=2026-01-07",
        "?from=2025-01-01&to=2026-01-02",
        "?from=2026-13-01",
        "?to=tomorrow",
    ];
    for query in cases {
        for path in [
            format!("/api/v2/offers/{id}/stats{query}"),
            format!("/api/v2/stats/offers{query}"),
        ] {
            let (status, body) = send(app.api(Method::GET, &path)).await;
            assert_error(status, &body, 400, "invalid_date_range", &path);
        }
    }
    let (status, body) =
        send(app.api(Method::GET, "/api/v2/offers/664f1a2b3c4d5e6f7a8b9c0d/stats")).await;
    assert_error(status, &body, 404, "not_found", "unknown offer");
}

#[tokio::test]
async fn stats_are_tenant_isolated() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Mine").await;
    seed_clicks(&app, &offer);
    let other = app.other_account();
    let path = format!("/api/v2/offers/{}/stats", offer["id"].as_str().expect("id"));
    let (status, body) = send(app.with_key(Method::GET, &path, &other.api_key)).await;
    assert_error(status, &body, 404, "not_found", "another account's offer");
    let (_, overview) =
        send(app.with_key(Method::GET, "/api/v2/stats/offers", &other.api_key)).await;
    assert_eq!(overview["offers"], json!([]));
}
