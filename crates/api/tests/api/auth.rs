//! SPEC §1.2: API keys and tenant isolation.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_error, send, TestApp};

#[tokio::test]
async fn requests_without_a_usable_key_are_401_with_the_spec_messages() {
    let app = TestApp::spawn().await;
    let (status, body) = send(app.request(Method::GET, "/api/v2/offers")).await;
    assert_error(status, &body, 401, "unauthorized", "no key");
    assert_eq!(body["error"], "API key required");

    let cases = [
        ("trk_short", "malformed"),
        ("TRK_abcdefghijklmnopqrstuvwxyzABCDEF", "wrong prefix"),
        (
            "trk_abcdefghijklmnopqrstuvwxyzABCDEF",
            "well-formed but unknown",
        ),
        ("", "empty"),
    ];
    for (key, description) in cases {
        let (status, body) = send(app.with_key(Method::GET, "/api/v2/offers", key)).await;
        assert_error(status, &body, 401, "unauthorized", description);
        assert_eq!(body["error"], "Invalid API key", "{description}");
    }
}

#[tokio::test]
async fn a_refused_key_changes_nothing() {
    let app = TestApp::spawn().await;
    let (status, _) = send(
        app.with_key(
            Method::POST,
            "/api/v2/offers",
            "trk_abcdefghijklmnopqrstuvwxyzABCDEF",
        )
        .json(&json!({"name": "A", "tracking_url": "https://a.example"})),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(app.offer_rows(), 0);
}

#[tokio::test]
async fn a_revoked_key_is_refused_within_five_seconds() {
    let app = TestApp::spawn().await;
    let (status, _) = app.list_offers("").await;
    assert_eq!(status, 200, "the key works and is now cached");

    let revoked_at = Instant::now();
    trackly_store::api_keys::revoke_key(
        &mut app.db.connect(),
        &app.account.key_id,
        chrono::Utc::now(),
    )
    .expect("revoke");
    loop {
        let (status, _) = app.list_offers("").await;
        if status == 401 {
            break;
        }
        assert!(
            revoked_at.elapsed() < Duration::from_secs(5),
            "still accepted after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(revoked_at.elapsed() <= Duration::from_secs(5));
}

#[tokio::test]
async fn another_accounts_offers_are_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Mine").await;
    let id = offer["id"].as_str().expect("id");
    let slug = offer["slug"].as_str().expect("slug");
    let other = app.other_account();
    let key = other.api_key.as_str();

    for path in [
        format!("/api/v2/offers/{id}"),
        format!("/api/v2/offers/{slug}"),
    ] {
        let (status, body) = send(app.with_key(Method::GET, &path, key)).await;
        assert_error(status, &body, 404, "not_found", "get");
        let (status, body) = send(
            app.with_key(Method::PUT, &path, key)
                .json(&json!({"name": "Stolen"})),
        )
        .await;
        assert_error(status, &body, 404, "not_found", "put");
        let (status, body) = send(app.with_key(Method::DELETE, &path, key)).await;
        assert_error(status, &body, 404, "not_found", "delete");
    }
    for query in ["", "?status=active", "?status=archived", "?q=Mine"] {
        let (status, body) =
            send(app.with_key(Method::GET, &format!("/api/v2/offers{query}"), key)).await;
        assert_eq!(status, 200);
        assert_eq!(body["offers"], json!([]), "list{query}");
        assert_eq!(body["pagination"]["total"], 0);
    }
    let (_, mine) = app.get_offer(id).await;
    assert_eq!(mine["name"], "Mine", "the owner's offer is unchanged");
    assert_eq!(mine["status"], "active");
}
