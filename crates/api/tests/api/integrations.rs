//! SPEC §10.1, §10.2, §10.4 through HTTP: connecting with the key checked by a local
//! fake platform, every refusal of the body, the key write-only and encrypted, changes,
//! deletion, on-demand syncs and their runs, tenants.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use trackly_fake_platforms::{EverflowOffer, FakeEverflow, FakeTune, Mode, TuneOffer};

use crate::helpers::{assert_error, send, TestApp, TestOptions};

const INTEGRATIONS: &str = "/api/v2/integrations";
/// The key the fakes accept; distinctive, so a leak is easy to find.
const KEY: &str = "NeTwOrK-ToKeN-4242";

fn tune_body(fake: &FakeTune) -> Value {
    json!({"platform": "tune", "base_url": fake.base_url(), "affiliate_id": "3", "api_key": KEY})
}

async fn connect(app: &TestApp, body: &Value) -> (u16, Value) {
    send(app.api(Method::POST, INTEGRATIONS).json(body)).await
}

#[tokio::test]
async fn a_tune_connection_is_made_with_its_key_checked_and_shown_only_as_last4() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    let (status, body) = connect(&app, &tune_body(&tune)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["success"], true);
    let made = &body["integration"];
    assert_eq!(made["platform"], "tune");
    assert_eq!(made["api_key"], "…4242");
    assert_eq!(made["message_id_field"], "aff_sub");
    assert_eq!(made["timezone"], "UTC");
    assert_eq!(made["sync_offers"], true);
    assert_eq!(made["sync_conversions"], true);
    assert!(
        !tune.requests().is_empty(),
        "the key was checked with the platform"
    );

    let id = made["id"].as_str().expect("an id");
    let (status, read) = send(app.api(Method::GET, &format!("{INTEGRATIONS}/{id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(read["api_key"], "…4242");
    let (_, listed) = send(app.api(Method::GET, INTEGRATIONS)).await;
    assert_eq!(listed["integrations"].as_array().map(Vec::len), Some(1));
    assert!(!listed.to_string().contains(KEY), "{listed}");
}

#[tokio::test]
async fn the_stored_key_is_encrypted_not_plaintext() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    let (status, _) = connect(&app, &tune_body(&tune)).await;
    assert_eq!(status, 201);
    use diesel::prelude::*;
    let mut conn = app.pool.get().expect("connection");
    let row: String = diesel::dsl::sql::<diesel::sql_types::Text>(
        "SELECT row_to_json(i)::text FROM integrations i",
    )
    .get_result(&mut **conn)
    .expect("the row");
    assert!(!row.contains(KEY), "the key is stored in clear: {row}");
    let hex_key: String = KEY.bytes().map(|b| format!("{b:02x}")).collect();
    assert!(
        !row.contains(&hex_key),
        "the key's bytes are stored in clear: {row}"
    );
}

#[tokio::test]
async fn each_broken_rule_of_the_body_is_refused_with_its_code_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"api_key": "k"}), "missing_platform", "no platform"),
        (
            json!({"platform": "hasoffers", "api_key": "k"}),
            "invalid_platform",
            "unknown platform",
        ),
        (
            json!({"platform": "tune", "network_id": "n"}),
            "missing_api_key",
            "no key",
        ),
        (
            json!({"platform": "tune", "network_id": "n", "api_key": 5}),
            "invalid_api_key",
            "key not a string",
        ),
        (
            json!({"platform": "tune", "api_key": "k", "base_url": "ftp://x.example"}),
            "invalid_base_url",
            "base_url not http(s)",
        ),
        (
            json!({"platform": "tune", "api_key": "k", "network_id": "a b"}),
            "invalid_network_id",
            "network_id not a host label",
        ),
        (
            json!({"platform": "tune", "api_key": "k"}),
            "missing_network_id",
            "TUNE without an endpoint",
        ),
        (
            json!({"platform": "everflow", "api_key": "k", "affiliate_id": "seven"}),
            "invalid_affiliate_id",
            "affiliate_id not digits",
        ),
        (
            json!({"platform": "everflow", "api_key": "k"}),
            "missing_affiliate_id",
            "Everflow offer sync without an affiliate",
        ),
        (
            json!({"platform": "tune", "network_id": "n", "api_key": "k", "sync_offers": "yes"}),
            "invalid_sync_offers",
            "sync_offers not a boolean",
        ),
        (
            json!({"platform": "tune", "network_id": "n", "api_key": "k", "sync_conversions": 0}),
            "invalid_sync_conversions",
            "sync_conversions not a boolean",
        ),
        (
            json!({"platform": "tune", "network_id": "n", "api_key": "k", "message_id_field": "sub1"}),
            "invalid_message_id_field",
            "not a TUNE parameter",
        ),
        (
            json!({"platform": "tune", "network_id": "n", "api_key": "k", "timezone": "Europe/Atlantis"}),
            "invalid_timezone",
            "not an IANA zone",
        ),
    ];
    for (body, code, description) in cases {
        let (status, answer) = connect(&app, &body).await;
        assert_error(status, &answer, 400, code, description);
    }
    let (_, listed) = send(app.api(Method::GET, INTEGRATIONS)).await;
    assert_eq!(listed["integrations"], json!([]));
}

#[tokio::test]
async fn a_key_the_platform_rejects_or_a_platform_that_is_down_stores_nothing() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    let mut wrong = tune_body(&tune);
    wrong["api_key"] = json!("not-the-key");
    let (status, body) = connect(&app, &wrong).await;
    assert_error(
        status,
        &body,
        400,
        "platform_rejected_key",
        "wrong TUNE key",
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("Invalid"),
        "the platform's message: {body}"
    );

    let everflow = FakeEverflow::start(KEY);
    let wrong_everflow = json!({"platform": "everflow", "base_url": everflow.base_url(), "affiliate_id": 7, "api_key": "nope"});
    let (status, body) = connect(&app, &wrong_everflow).await;
    assert_error(
        status,
        &body,
        400,
        "platform_rejected_key",
        "wrong Everflow key",
    );

    tune.queue(Mode::ServerError(500), 10);
    let (status, body) = connect(&app, &tune_body(&tune)).await;
    assert_error(
        status,
        &body,
        502,
        "platform_unreachable",
        "TUNE answering 500",
    );
    let unreachable =
        json!({"platform": "tune", "base_url": "http://127.0.0.1:9/Apiv3/json", "api_key": KEY});
    let (status, body) = connect(&app, &unreachable).await;
    assert_error(
        status,
        &body,
        502,
        "platform_unreachable",
        "nothing listening",
    );
    assert!(!body.to_string().contains(KEY), "the key leaked: {body}");

    let (_, listed) = send(app.api(Method::GET, INTEGRATIONS)).await;
    assert_eq!(listed["integrations"], json!([]));
}

#[tokio::test]
async fn one_connection_per_platform_per_account() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    assert_eq!(connect(&app, &tune_body(&tune)).await.0, 201);
    let (status, body) = connect(&app, &tune_body(&tune)).await;
    assert_error(
        status,
        &body,
        409,
        "integration_exists",
        "a second TUNE connection",
    );
    let everflow = FakeEverflow::start(KEY);
    let (status, body) = connect(
        &app,
        &json!({"platform": "everflow", "base_url": everflow.base_url(), "affiliate_id": "7", "api_key": KEY}),
    )
    .await;
    assert_eq!(status, 201, "Everflow beside TUNE: {body}");
}

#[tokio::test]
async fn a_server_without_a_secret_key_refuses_to_store_platform_keys() {
    let app = TestApp::spawn_with(TestOptions {
        no_secret_key: true,
        ..TestOptions::default()
    })
    .await;
    let tune = FakeTune::start(KEY);
    let (status, body) = connect(&app, &tune_body(&tune)).await;
    assert_error(
        status,
        &body,
        503,
        "secret_key_missing",
        "no TRACKLY_SECRET_KEY",
    );
    assert!(tune.requests().is_empty(), "the key was not sent anywhere");
}

#[tokio::test]
async fn a_change_keeps_what_was_not_sent_and_checks_a_new_key() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    let (_, made) = connect(&app, &tune_body(&tune)).await;
    let path = format!(
        "{INTEGRATIONS}/{}",
        made["integration"]["id"].as_str().expect("id")
    );

    let (status, changed) = send(
        app.api(Method::PUT, &path)
            .json(&json!({"sync_conversions": false, "message_id_field": "aff_sub2"})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["sync_conversions"], false);
    assert_eq!(changed["message_id_field"], "aff_sub2");
    assert_eq!(changed["affiliate_id"], "3", "kept");
    assert_eq!(changed["api_key"], "…4242", "kept");

    let (status, body) = send(
        app.api(Method::PUT, &path)
            .json(&json!({"api_key": "wrong-key"})),
    )
    .await;
    assert_error(
        status,
        &body,
        400,
        "platform_rejected_key",
        "a new key the platform refuses",
    );
    let (status, body) = send(
        app.api(Method::PUT, &path)
            .json(&json!({"platform": "everflow"})),
    )
    .await;
    assert_error(
        status,
        &body,
        400,
        "invalid_platform",
        "the platform cannot change",
    );
    let (_, read) = send(app.api(Method::GET, &path)).await;
    assert_eq!(read["api_key"], "…4242", "a refused change changed nothing");
}

#[tokio::test]
async fn another_accounts_connection_is_not_found_and_delete_removes_it() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    let (_, made) = connect(&app, &tune_body(&tune)).await;
    let path = format!(
        "{INTEGRATIONS}/{}",
        made["integration"]["id"].as_str().expect("id")
    );
    let other = app.other_account();
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = send(app.with_key(method.clone(), &path, &other.api_key)).await;
        assert_error(
            status,
            &body,
            404,
            "not_found",
            &format!("{method} by another account"),
        );
    }
    let (status, body) = send(app.api(Method::GET, &format!("{INTEGRATIONS}/not-an-id"))).await;
    assert_error(status, &body, 404, "not_found", "a malformed id");

    let (status, body) = send(app.api(Method::DELETE, &path)).await;
    assert_eq!(
        (status, body),
        (200, json!({"success": true, "deleted": true}))
    );
    let (status, _) = send(app.api(Method::GET, &path)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_on_demand_sync_answers_202_with_run_ids_and_its_runs_are_listed_newest_first() {
    let app = TestApp::spawn().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![
        TuneOffer::new(532, "Bingo Blitz").with("default_payout", "2.00000"),
        TuneOffer::new(533, "Spin Palace").with("default_payout", "1.50000"),
        TuneOffer::new(534, &"n".repeat(300)),
    ]);
    let mut body = tune_body(&tune);
    body["sync_conversions"] = json!(false);
    let (_, made) = connect(&app, &body).await;
    let id = made["integration"]["id"].as_str().expect("id").to_owned();

    let (status, started) = send(app.api(Method::POST, &format!("{INTEGRATIONS}/{id}/sync"))).await;
    assert_eq!(status, 202, "{started}");
    let run_id = started["run_id"].as_str().expect("a run id").to_owned();
    assert_eq!(started["run_ids"], json!([run_id]));

    let run = wait_for_run(&app, &id, &run_id).await;
    assert_eq!(run["kind"], "offers");
    assert_eq!(run["status"], "partial", "{run}");
    assert_eq!(run["offers_created"], 2);
    assert_eq!(run["offers_skipped"], 1);
    let errors = run["errors"].as_array().expect("errors");
    assert!(
        errors[0].as_str().unwrap_or_default().contains("534"),
        "{run}"
    );

    let (_, offers) = app.list_offers("").await;
    let synced = offers["offers"].as_array().expect("offers");
    assert_eq!(synced.len(), 2);
    for offer in synced {
        assert_eq!(offer["external_platform"], "tune");
        assert!(
            offer["tracking_url"]
                .as_str()
                .unwrap_or_default()
                .contains("aff_sub={click_id}"),
            "{offer}"
        );
    }

    let (status, second) = send(app.api(
        Method::POST,
        &format!("{INTEGRATIONS}/{id}/sync?kind=offers"),
    ))
    .await;
    assert_eq!(status, 202, "{second}");
    let second_id = second["run_id"].as_str().expect("a run id").to_owned();
    wait_for_run(&app, &id, &second_id).await;
    let (_, runs) = send(app.api(Method::GET, &format!("{INTEGRATIONS}/{id}/runs"))).await;
    let listed: Vec<&str> = runs["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .filter_map(|run| run["id"].as_str())
        .collect();
    assert_eq!(
        listed,
        [second_id.as_str(), run_id.as_str()],
        "newest first"
    );
    assert_eq!(runs["pagination"]["total"], 2);
}

#[tokio::test]
async fn sync_refusals_have_their_codes() {
    let app = TestApp::spawn().await;
    let everflow = FakeEverflow::start(KEY);
    everflow.set_offers(vec![EverflowOffer::new(77, "Acme")]);
    let (_, made) = connect(
        &app,
        &json!({"platform": "everflow", "base_url": everflow.base_url(), "api_key": KEY,
                "sync_offers": false, "sync_conversions": false}),
    )
    .await;
    let id = made["integration"]["id"].as_str().expect("id");
    let (status, body) = send(app.api(Method::POST, &format!("{INTEGRATIONS}/{id}/sync"))).await;
    assert_error(
        status,
        &body,
        400,
        "sync_disabled",
        "a connection that syncs nothing",
    );
    let (status, body) = send(app.api(
        Method::POST,
        &format!("{INTEGRATIONS}/{id}/sync?kind=clicks"),
    ))
    .await;
    assert_error(status, &body, 400, "invalid_kind", "an unknown kind");
    let (status, body) = send(app.api(
        Method::POST,
        &format!("{INTEGRATIONS}/664f1a2b3c4d5e6f7a8b9c0d/sync"),
    ))
    .await;
    assert_error(status, &body, 404, "not_found", "no such connection");
}

/// Polls the runs until `run_id` has ended (at most 10 s); returns it.
async fn wait_for_run(app: &TestApp, integration: &str, run_id: &str) -> Value {
    let started = Instant::now();
    loop {
        let (_, runs) =
            send(app.api(Method::GET, &format!("{INTEGRATIONS}/{integration}/runs"))).await;
        let run = runs["runs"]
            .as_array()
            .and_then(|runs| runs.iter().find(|run| run["id"] == run_id))
            .cloned();
        if let Some(run) = run.filter(|run| run["status"] != "running") {
            return run;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "run {run_id} did not end: {runs}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
