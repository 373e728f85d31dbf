//! SPEC §5.4: listing an offer's clicks.

use std::time::Duration;

use chrono::{Duration as Days, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use trackly_domain::click::BotReason;

use crate::helpers::{assert_error, send, TestApp};

/// Stores clicks directly, `days_ago` each, so date filters can be checked.
fn seed(app: &TestApp, offer: &Value, days_ago: &[(i64, Option<BotReason>)]) {
    for (days, bot_reason) in days_ago {
        app.store_click(
            offer,
            Utc::now() - Days::days(*days),
            (
                "192.0.2.1",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
            ),
            *bot_reason,
        );
    }
}

fn day(days_ago: i64) -> String {
    (Utc::now() - Days::days(days_ago))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn clicks_filter_by_dates_and_bot_flag_newest_first() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    seed(
        &app,
        &offer,
        &[
            (0, None),
            (1, Some(BotReason::BotUserAgent)),
            (3, None),
            (10, None),
        ],
    );
    let id = offer["id"].as_str().expect("id");
    let cases = [
        (String::new(), 4, "everything"),
        (format!("?from={}", day(3)), 3, "from three days ago"),
        (
            format!("?from={}&to={}", day(3), day(1)),
            2,
            "a closed range, both ends included",
        ),
        (format!("?to={}", day(10)), 1, "up to a day"),
        ("?is_bot=true".to_owned(), 1, "bots"),
        ("?is_bot=false".to_owned(), 3, "people"),
    ];
    for (query, expected, description) in cases {
        let (status, body) =
            send(app.api(Method::GET, &format!("/api/v2/offers/{id}/clicks{query}"))).await;
        assert_eq!(status, 200, "{description}");
        assert_eq!(body["pagination"]["total"], expected, "{description}");
        assert_eq!(
            body["clicks"].as_array().map(Vec::len),
            Some(expected),
            "{description}"
        );
    }
    let (_, body) = send(app.api(Method::GET, &format!("/api/v2/offers/{id}/clicks"))).await;
    let times: Vec<&str> = body["clicks"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["created_at"].as_str().expect("time"))
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let (_, page) = send(app.api(
        Method::GET,
        &format!("/api/v2/offers/{id}/clicks?per_page=3&page=2"),
    ))
    .await;
    assert_eq!(
        page["pagination"],
        json!({"page": 2, "per_page": 3, "total": 4, "total_pages": 2})
    );
}

#[tokio::test]
async fn clicks_refuse_bad_filters_and_unknown_offers() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let id = offer["id"].as_str().expect("id");
    let cases = [
        ("?from=2026-13-01", 400, "invalid_date_range", "not a date"),
        (
            "?from=2026-02-01&to=2026-01-01",
            400,
            "invalid_date_range",
            "from after to",
        ),
        (
            "?is_bot=maybe",
            400,
            "invalid_query",
            "is_bot not a boolean",
        ),
        ("?page=0", 400, "invalid_pagination", "page 0"),
    ];
    for (query, status, code, description) in cases {
        let (got, body) =
            send(app.api(Method::GET, &format!("/api/v2/offers/{id}/clicks{query}"))).await;
        assert_error(got, &body, status, code, description);
    }
    let (status, body) = send(app.api(
        Method::GET,
        "/api/v2/offers/664f1a2b3c4d5e6f7a8b9c0d/clicks",
    ))
    .await;
    assert_error(status, &body, 404, "not_found", "unknown offer");
}

#[tokio::test]
async fn another_accounts_clicks_are_invisible() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Mine").await;
    app.follow(&format!(
        "/{}",
        offer["click_url"]
            .as_str()
            .expect("url")
            .rsplit('/')
            .next()
            .expect("code")
    ))
    .await;
    app.flush_clicks(Duration::from_secs(5)).await;
    let other = app.other_account();
    for key in ["id", "slug"] {
        let path = format!("/api/v2/offers/{}/clicks", offer[key].as_str().expect("id"));
        let (status, body) = send(app.with_key(Method::GET, &path, &other.api_key)).await;
        assert_error(status, &body, 404, "not_found", key);
        let (status, body) = send(app.api(Method::GET, &path)).await;
        assert_eq!(
            (status, body["pagination"]["total"].clone()),
            (200, json!(1)),
            "the owner sees it by {key}"
        );
    }
}
