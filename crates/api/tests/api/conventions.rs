//! SPEC §1: bodies, content types, sizes, unknown routes and methods, request ids, health.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_error, send, TestApp};

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_invalid_json() {
    let app = TestApp::spawn().await;
    let cases = [
        ("{not json", "malformed"),
        ("[1, 2]", "an array"),
        ("\"text\"", "a string"),
        ("", "empty"),
        ("{\"name\": \"a\",}", "trailing comma"),
    ];
    for (body, description) in cases {
        let request = app
            .api(Method::POST, "/api/v2/offers")
            .header("Content-Type", "application/json")
            .body(body);
        let (status, answer) = send(request).await;
        assert_error(status, &answer, 400, "invalid_json", description);
    }
    assert_eq!(app.offer_rows(), 0);
}

#[tokio::test]
async fn content_type_must_be_json_or_absent() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "A", "tracking_url": "https://a.example"}).to_string();
    let cases = [
        (Some("application/json"), 201, "plain JSON"),
        (
            Some("application/json; charset=utf-8"),
            201,
            "with a charset",
        ),
        (Some("Application/JSON"), 201, "any case"),
        (None, 201, "absent"),
        (Some("text/plain"), 415, "text"),
        (Some("application/x-www-form-urlencoded"), 415, "form"),
    ];
    for (content_type, expected, description) in cases {
        let mut request = app.api(Method::POST, "/api/v2/offers").body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        let (status, answer) = send(request).await;
        assert_eq!(status, expected, "{description}: {answer}");
        if expected == 415 {
            assert_error(status, &answer, 415, "unsupported_media_type", description);
        }
    }
}

#[tokio::test]
async fn bodies_over_five_mebibytes_are_refused_with_413() {
    let app = TestApp::spawn().await;
    let padding = "x".repeat(5 * 1024 * 1024);
    let body =
        json!({"name": "A", "tracking_url": "https://a.example", "pad": padding}).to_string();
    let (status, answer) = send(
        app.api(Method::POST, "/api/v2/offers")
            .header("Content-Type", "application/json")
            .body(body),
    )
    .await;
    assert_error(status, &answer, 413, "payload_too_large", "5 MiB and more");
    assert_eq!(app.offer_rows(), 0);
}

#[tokio::test]
async fn a_body_just_under_the_limit_is_read() {
    let app = TestApp::spawn().await;
    let skeleton = json!({"name": "A", "tracking_url": "https://a.example", "pad": ""}).to_string();
    let padding = "x".repeat(5 * 1024 * 1024 - skeleton.len());
    let body =
        json!({"name": "A", "tracking_url": "https://a.example", "pad": padding}).to_string();
    assert_eq!(body.len(), 5 * 1024 * 1024);
    let (status, _) = send(app.api(Method::POST, "/api/v2/offers").body(body)).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_in_the_error_format() {
    let app = TestApp::spawn().await;
    let (status, body) = send(app.api(Method::GET, "/api/v2/nothing")).await;
    assert_error(status, &body, 404, "not_found", "unknown API route");
    let (status, body) = send(app.request(Method::GET, "/elsewhere/deep")).await;
    assert_error(status, &body, 404, "not_found", "unknown route");

    let cases = [
        (Method::DELETE, "/api/v2/offers", "GET, POST"),
        (
            Method::POST,
            "/api/v2/offers/664f1a2b3c4d5e6f7a8b9c0d",
            "GET, PUT, PATCH, DELETE",
        ),
        (Method::POST, "/healthz", "GET"),
    ];
    for (method, path, allow) in cases {
        let response = app.api(method.clone(), path).send().await.expect("request");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        let status = response.status().as_u16();
        let body = response.json().await.expect("json");
        assert_error(status, &body, 405, "method_not_allowed", path);
    }
}

#[tokio::test]
async fn request_ids_are_echoed_when_usable_and_made_otherwise() {
    let app = TestApp::spawn().await;
    let echoed = app
        .request(Method::GET, "/healthz")
        .header("X-Request-Id", "abc-123")
        .send()
        .await
        .expect("request");
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");

    let too_long = "r".repeat(129);
    for (incoming, description) in [
        (Some(too_long.as_str()), "too long"),
        (Some(""), "empty"),
        (None, "absent"),
    ] {
        let mut request = app.api(Method::GET, "/api/v2/nothing");
        if let Some(incoming) = incoming {
            request = request.header("X-Request-Id", incoming);
        }
        let response = request.send().await.expect("request");
        let id = response.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            !id.is_empty() && id.len() <= 128 && Some(id.as_str()) != incoming,
            "{description}: {id}"
        );
    }
}

#[tokio::test]
async fn health_and_readiness_answer_while_the_database_is_migrated() {
    let app = TestApp::spawn().await;
    let (status, body) = send(app.request(Method::GET, "/healthz")).await;
    assert_eq!((status, body), (200, json!({"status": "ok"})));
    let (status, body) = send(app.request(Method::GET, "/readyz")).await;
    assert_eq!((status, body), (200, json!({"status": "ready"})));
}

#[tokio::test]
async fn readiness_is_503_when_the_schema_is_behind() {
    let app = TestApp::spawn().await;
    {
        use diesel::RunQueryDsl;
        let mut conn = app.db.connect();
        diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = (SELECT max(version) FROM __diesel_schema_migrations)")
            .execute(&mut conn)
            .expect("forget the last migration");
    }
    let response = app
        .request(Method::GET, "/readyz")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "unavailable");
}
