//! SPEC §5.1–§5.3: tracking links, click records and bot classification.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{TestApp, TestOptions};

const PERSON: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

fn code(offer: &Value) -> String {
    offer["click_url"]
        .as_str()
        .expect("click_url")
        .rsplit('/')
        .next()
        .expect("code")
        .to_owned()
}

async fn clicks_of(app: &TestApp, offer: &Value, query: &str) -> Value {
    let path = format!(
        "/api/v2/offers/{}/clicks{query}",
        offer["id"].as_str().expect("id")
    );
    let response = app.api(Method::GET, &path).send().await.expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_tracking_link_redirects_with_macros_replaced_and_records_the_click() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "A", "tracking_url": "https://adv.example/l?c={click_id}&o={{offer_id}}&s={sub1}&t={sub2}"}))
        .await;
    let response = app
        .request(
            Method::GET,
            &format!("/{}?sub1=spring%20sale&sub2=a%26b&sub9=x", code(&offer)),
        )
        .header("User-Agent", PERSON)
        .header("Referer", "https://sms.example/campaign")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();

    app.flush_clicks(Duration::from_secs(5)).await;
    let listed = clicks_of(&app, &offer, "").await;
    let click = &listed["clicks"][0];
    let click_id = click["click_id"].as_str().expect("click id");
    assert_eq!(
        location,
        format!(
            "https://adv.example/l?c={click_id}&o={}&s=spring%20sale&t=a%26b",
            offer["id"].as_str().expect("id")
        )
    );
    assert_eq!(click["offer_id"], offer["id"]);
    assert_eq!(click["ip"], "127.0.0.1");
    assert_eq!(click["user_agent"], PERSON);
    assert_eq!(click["referer"], "https://sms.example/campaign");
    assert_eq!(click["sub1"], "spring sale");
    assert_eq!(click["sub2"], "a&b");
    assert_eq!(click["sub3"], Value::Null);
    assert_eq!(click["is_bot"], false);
    assert_eq!(click["bot_reason"], Value::Null);
    assert_eq!(listed["pagination"]["total"], 1);
}

#[tokio::test]
async fn a_url_without_a_click_macro_gets_click_id_appended() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "A", "tracking_url": "https://adv.example/l?x=1#frag"}))
        .await;
    let response = app.follow(&format!("/{}", code(&offer))).await;
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (before, fragment) = location.split_once('#').expect("fragment kept");
    assert_eq!(fragment, "frag");
    let click_id = before
        .strip_prefix("https://adv.example/l?x=1&click_id=")
        .expect("appended");
    assert_eq!(click_id.len(), 24);
}

#[tokio::test]
async fn slug_links_redirect_like_codes_old_slugs_included() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Summer Promo").await;
    let old_slug = offer["slug"].as_str().expect("slug").to_owned();
    app.put_offer(
        offer["id"].as_str().expect("id"),
        &json!({"name": "Renamed"}),
    )
    .await;
    for path in [
        format!("/c/{old_slug}"),
        format!("/c/ofr_renamed_{}", code(&offer)),
        format!("/c/ofr_anything_{}", code(&offer)),
    ] {
        assert_eq!(app.follow(&path).await.status(), 302, "{path}");
    }
    assert_eq!(app.follow("/c/not-a-slug").await.status(), 404);
}

#[tokio::test]
async fn unknown_paused_and_archived_links_answer_without_recording_a_click() {
    let app = TestApp::spawn().await;
    let paused = app
        .create_offer_with(
            json!({"name": "P", "tracking_url": "https://a.example", "status": "paused"}),
        )
        .await;
    let archived = app.create_offer("Gone").await;
    let active = app.create_offer("Live").await;
    // Warm the redirect cache, then archive: this node invalidates the code at once.
    assert_eq!(
        app.follow(&format!("/{}", code(&archived))).await.status(),
        302
    );
    app.delete_offer(archived["id"].as_str().expect("id")).await;

    let cases = [
        ("/zzzzzz".to_owned(), 404, "unknown code"),
        ("/c/ofr_x_zzzzzz".to_owned(), 404, "unknown slug"),
        (format!("/{}", code(&paused)), 410, "paused"),
        (format!("/{}", code(&archived)), 410, "archived"),
    ];
    for (path, status, description) in cases {
        let response = app.follow(&path).await;
        assert_eq!(response.status(), status, "{description}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/plain"),
            "{description}"
        );
        assert!(
            !response.text().await.expect("body").is_empty(),
            "{description}: a short message"
        );
    }
    app.flush_clicks(Duration::from_secs(5)).await;
    assert_eq!(
        app.click_rows(),
        1,
        "only the redirect before archiving counted"
    );
    // Pausing and re-activating through the API take effect at once on this node.
    app.put_offer(
        active["id"].as_str().expect("id"),
        &json!({"status": "paused"}),
    )
    .await;
    assert_eq!(
        app.follow(&format!("/{}", code(&active))).await.status(),
        410
    );
}

#[tokio::test]
async fn n_redirects_then_a_flush_store_exactly_n_rows() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Busy").await;
    let path = format!("/{}", code(&offer));
    let redirects = (0..250).map(|_| app.follow(&path));
    for response in futures_util::future::join_all(redirects).await {
        assert_eq!(response.status(), 302);
    }
    app.flush_clicks(Duration::from_secs(10)).await;
    assert_eq!(app.click_rows(), 250);
    let listed = clicks_of(&app, &offer, "?per_page=100").await;
    assert_eq!(listed["pagination"]["total"], 250);
    let ids: std::collections::HashSet<_> = listed["clicks"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["click_id"].clone())
        .collect();
    assert_eq!(ids.len(), 100, "distinct click ids");
}

#[tokio::test]
async fn bots_are_redirected_and_recorded_with_their_reason() {
    let app = TestApp::spawn_with(TestOptions {
        bot_cidrs: "203.0.113.0/24\n",
        trust_proxy: true,
        ..TestOptions::default()
    })
    .await;
    let offer = app.create_offer("Watched").await;
    let path = format!("/{}", code(&offer));
    let cases: [(Method, Option<&str>, Option<&str>, &str); 5] = [
        (Method::GET, Some(PERSON), None, "person"),
        (Method::GET, None, None, "empty_user_agent"),
        (
            Method::GET,
            Some("WhatsApp/2.23.20.0 A"),
            None,
            "bot_user_agent",
        ),
        (Method::HEAD, Some(PERSON), None, "head_request"),
        (
            Method::GET,
            Some(PERSON),
            Some("203.0.113.9"),
            "bot_network",
        ),
    ];
    for (method, agent, forwarded_for, _) in &cases {
        let mut request = app.request(method.clone(), &path);
        if let Some(agent) = agent {
            request = request.header("User-Agent", *agent);
        }
        if let Some(ip) = forwarded_for {
            request = request.header("X-Forwarded-For", *ip);
        }
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), 302, "bots are redirected too");
    }
    app.flush_clicks(Duration::from_secs(5)).await;
    let listed = clicks_of(&app, &offer, "").await;
    let mut reasons: Vec<String> = listed["clicks"]
        .as_array()
        .expect("array")
        .iter()
        .map(|click| click["bot_reason"].as_str().unwrap_or("person").to_owned())
        .collect();
    reasons.sort();
    let mut expected: Vec<String> = cases.iter().map(|case| case.3.to_owned()).collect();
    expected.sort();
    assert_eq!(reasons, expected);
    let bots = clicks_of(&app, &offer, "?is_bot=true").await;
    assert_eq!(bots["pagination"]["total"], 4);
    assert!(bots["clicks"]
        .as_array()
        .expect("array")
        .iter()
        .all(|click| click["is_bot"] == true));
}

#[tokio::test]
async fn forwarded_for_is_used_only_when_the_proxy_is_trusted() {
    for (trust_proxy, expected_ip) in [(false, "127.0.0.1"), (true, "198.51.100.7")] {
        let app = TestApp::spawn_with(TestOptions {
            trust_proxy,
            ..TestOptions::default()
        })
        .await;
        let offer = app.create_offer("Proxied").await;
        let response = app
            .request(Method::GET, &format!("/{}", code(&offer)))
            .header("User-Agent", PERSON)
            .header("X-Forwarded-For", "198.51.100.7, 10.0.0.1")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 302);
        app.flush_clicks(Duration::from_secs(5)).await;
        let listed = clicks_of(&app, &offer, "").await;
        assert_eq!(
            listed["clicks"][0]["ip"], expected_ip,
            "trust_proxy={trust_proxy}"
        );
    }
}

#[tokio::test]
async fn long_click_fields_are_truncated_not_refused() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Long").await;
    let long_agent = format!("Mozilla/5.0 {}", "a".repeat(600));
    let response = app
        .request(
            Method::GET,
            &format!("/{}?sub1={}", code(&offer), "s".repeat(300)),
        )
        .header("User-Agent", &long_agent)
        .header("Referer", format!("https://r.example/{}", "r".repeat(2000)))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 302);
    app.flush_clicks(Duration::from_secs(5)).await;
    let click = clicks_of(&app, &offer, "").await["clicks"][0].clone();
    assert_eq!(
        click["user_agent"].as_str().map(|s| s.chars().count()),
        Some(512)
    );
    assert_eq!(
        click["referer"].as_str().map(|s| s.chars().count()),
        Some(1024)
    );
    assert_eq!(click["sub1"].as_str().map(|s| s.chars().count()), Some(255));
}
