//! SPEC §1.7: Idempotency-Key on POST.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, send, TestApp};

fn offer_body(name: &str) -> Value {
    json!({"name": name, "tracking_url": "https://a.example/x"})
}

#[tokio::test]
async fn a_repeated_key_with_the_same_body_replays_the_first_response() {
    let app = TestApp::spawn().await;
    let post = |body: String| {
        app.api(Method::POST, "/api/v2/offers")
            .header("Idempotency-Key", "order-42")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let first = post(offer_body("Once").to_string()).await.expect("request");
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body: Value = first.json().await.expect("json");

    // The same JSON with other spacing and key order is the same request.
    let second =
        post("{ \"tracking_url\": \"https://a.example/x\",  \"name\": \"Once\" }".to_owned())
            .await
            .expect("request");
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    let second_body: Value = second.json().await.expect("json");
    assert_eq!(second_body, first_body);
    assert_eq!(app.offer_rows(), 1);
}

#[tokio::test]
async fn a_repeated_key_with_another_body_is_409() {
    let app = TestApp::spawn().await;
    let post = |name: &str| {
        send(
            app.api(Method::POST, "/api/v2/offers")
                .header("Idempotency-Key", "k1")
                .json(&offer_body(name)),
        )
    };
    assert_eq!(post("First").await.0, 201);
    let (status, body) = post("Second").await;
    assert_error(status, &body, 409, "idempotency_conflict", "other body");
    assert_eq!(app.offer_rows(), 1);
}

#[tokio::test]
async fn keys_are_scoped_to_the_account() {
    let app = TestApp::spawn().await;
    let other = app.other_account();
    for key in [app.account.api_key.as_str(), other.api_key.as_str()] {
        let (status, _) = send(
            app.with_key(Method::POST, "/api/v2/offers", key)
                .header("Idempotency-Key", "shared")
                .json(&offer_body("A")),
        )
        .await;
        assert_eq!(status, 201);
    }
    assert_eq!(app.offer_rows(), 2);
}

#[tokio::test]
async fn ten_concurrent_requests_with_one_key_create_one_offer() {
    let app = TestApp::spawn().await;
    let requests = (0..10).map(|_| {
        send(
            app.api(Method::POST, "/api/v2/offers")
                .header("Idempotency-Key", "burst")
                .json(&offer_body("Burst")),
        )
    });
    let answers = futures_util::future::join_all(requests).await;
    let ids: std::collections::HashSet<_> = answers
        .iter()
        .map(|(status, body)| {
            assert!(
                *status == 201 || (*status == 409 && body["code"] == "idempotency_conflict"),
                "{status} {body}"
            );
            body["offer"]["id"].clone()
        })
        .filter(|id| !id.is_null())
        .collect();
    assert_eq!(ids.len(), 1, "every success names the same offer");
    assert_eq!(app.offer_rows(), 1);
}

#[tokio::test]
async fn malformed_idempotency_keys_are_refused() {
    let app = TestApp::spawn().await;
    let too_long = "k".repeat(256);
    for (key, description) in [
        (too_long.as_str(), "256 characters"),
        ("has space", "a space"),
    ] {
        let (status, body) = send(
            app.api(Method::POST, "/api/v2/offers")
                .header("Idempotency-Key", key)
                .json(&offer_body("A")),
        )
        .await;
        assert_error(status, &body, 400, "invalid_idempotency_key", description);
    }
    assert_eq!(app.offer_rows(), 0);
}

#[tokio::test]
async fn refused_requests_are_not_recorded_so_a_corrected_retry_works() {
    let app = TestApp::spawn().await;
    let post = |body: Value| {
        send(
            app.api(Method::POST, "/api/v2/offers")
                .header("Idempotency-Key", "fix")
                .json(&body),
        )
    };
    assert_eq!(post(json!({"name": "A"})).await.0, 400);
    assert_eq!(post(offer_body("A")).await.0, 201);
}
