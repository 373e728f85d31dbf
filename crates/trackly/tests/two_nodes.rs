//! SPEC §14: two `trackly serve` processes on one database behind one load balancer keep
//! every promise across them: an Idempotency-Key runs once, a txn_id is stored once, an
//! offer paused on one node stops redirecting on the other within the cache's lifetime, a
//! revoked key stops working on both within 5 seconds, and no answered click is lost.
//! (First clicks across nodes: `links_nodes.rs`; the sync lock: `sync_nodes.rs`.)

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{quiet_node, signal, stored_click_ids, wait_for_exit, LinkLoad, Server};
use reqwest::blocking::Client;
use serde_json::{json, Value};
use trackly_test_db::TestDb;

/// The bootstrap key (the first node creates the account; the second finds it).
const KEY: &str = "trk_twotwotwotwotwotwotwotwotwotwo12";

/// A node on `db` with its own data directory, once it answers.
fn node(db: &TestDb, data_dir: &std::path::Path) -> (Server, String) {
    quiet_node(db.url(), data_dir, KEY)
}

/// `trackly <args>` on `db`, which must succeed; what it printed.
fn cli(db: &TestDb, args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(args)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run trackly");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `trackly <args>` on `db`, whose output is JSON (`--json`).
fn cli_json(db: &TestDb, args: &[&str]) -> Value {
    serde_json::from_slice(&cli(db, args)).expect("JSON output")
}

/// Sends `request` and returns its status and JSON body.
fn send(request: reqwest::blocking::RequestBuilder) -> (u16, Value) {
    let response = request.send().expect("request");
    let status = response.status().as_u16();
    (status, response.json().unwrap_or(Value::Null))
}

/// Polls `check` until it is true; how long it took, or a failure after `limit`.
fn within(limit: Duration, what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < limit,
            "{what} did not happen within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    started.elapsed()
}

#[test]
fn two_nodes_on_one_database_keep_every_promise_across_them() {
    let db = TestDb::reserved();
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let (mut first, a) = node(&db, dirs[0].path());
    let (mut second, b) = node(&db, dirs[1].path());
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let post = |base: &str, path: &str, body: &Value, key: Option<&str>| {
        let mut request = client
            .post(format!("{base}{path}"))
            .header("X-Api-Key", KEY)
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        send(request)
    };

    // An Idempotency-Key runs once, whichever node gets the retry.
    let body = json!({"name": "Two nodes", "tracking_url": "https://adv.example/t?click_id={click_id}", "payout": "2"});
    let (status, created) = post(&a, "/api/v2/offers", &body, Some("retry-1"));
    assert_eq!(status, 201, "{created}");
    let (status, replayed) = post(&b, "/api/v2/offers", &body, Some("retry-1"));
    assert_eq!(
        (status, &replayed),
        (201, &created),
        "the other node replays the first answer"
    );
    let (status, conflict) = post(
        &b,
        "/api/v2/offers",
        &json!({"name": "Other", "tracking_url": "https://o.example"}),
        Some("retry-1"),
    );
    assert_eq!(
        (status, conflict["code"].as_str()),
        (409, Some("idempotency_conflict"))
    );
    let (_, listed) = send(
        client
            .get(format!("{b}/api/v2/offers"))
            .header("X-Api-Key", KEY),
    );
    assert_eq!(listed["pagination"]["total"], 1, "one offer for the key");
    let offer = &created["offer"];
    let code = offer["click_url"]
        .as_str()
        .expect("click_url")
        .rsplit('/')
        .next()
        .expect("code")
        .to_owned();

    // A txn_id is stored once, whichever node gets it first.
    let event = json!({"offer_id": offer["id"], "txn_id": "T-42", "revenue": 9});
    let (status, first_event) = post(&a, "/api/v2/revenue", &event, None);
    assert_eq!(status, 201, "{first_event}");
    let (status, again) = post(&b, "/api/v2/revenue", &event, None);
    assert_eq!(
        (status, &again["duplicate"], &again["revenue_id"]),
        (200, &json!(true), &first_event["revenue_id"])
    );

    // No answered click is lost: both nodes under load, then both stopped.
    let loads = [
        LinkLoad::start(&format!("{a}/{code}"), 2),
        LinkLoad::start(&format!("{b}/{code}"), 2),
    ];
    std::thread::sleep(Duration::from_secs(2));
    let answered: Vec<String> = loads.into_iter().flat_map(LinkLoad::stop).collect();
    assert!(
        answered.len() > 50,
        "the load made clicks: {}",
        answered.len()
    );

    // An offer paused on one node stops redirecting on the other within the cache's 5 s.
    let redirect = |base: &str| {
        client
            .get(format!("{base}/{code}"))
            .send()
            .expect("redirect")
            .status()
            .as_u16()
    };
    assert_eq!(redirect(&b), 302, "the other node has the offer cached");
    let (status, _) = send(
        client
            .put(format!(
                "{a}/api/v2/offers/{}",
                offer["id"].as_str().expect("id")
            ))
            .header("X-Api-Key", KEY)
            .json(&json!({"status": "paused"})),
    );
    assert_eq!(status, 200);
    let took = within(
        Duration::from_secs(6),
        "the pause reaching the other node",
        || redirect(&b) == 410,
    );
    assert!(took <= Duration::from_secs(6), "{took:?}");

    // A key revoked from the command line stops working on both nodes within 5 s.
    let account = cli_json(&db, &["accounts", "list", "--json"])[0]["account_id"]
        .as_str()
        .expect("account")
        .to_owned();
    let key = cli_json(&db, &["keys", "create", "--account", &account, "--json"]);
    let (key_id, api_key) = (
        key["key_id"].as_str().expect("id").to_owned(),
        key["api_key"].as_str().expect("key").to_owned(),
    );
    let status_with = |base: &str| {
        client
            .get(format!("{base}/api/v2/offers"))
            .header("X-Api-Key", &api_key)
            .send()
            .expect("request")
            .status()
            .as_u16()
    };
    assert_eq!(
        (status_with(&a), status_with(&b)),
        (200, 200),
        "the new key works on both"
    );
    cli(&db, &["keys", "revoke", &key_id]);
    for base in [&a, &b] {
        within(Duration::from_secs(5), "the revocation", || {
            status_with(base) == 401
        });
    }

    for server in [&mut first, &mut second] {
        signal(&server.0, "-TERM");
        assert!(wait_for_exit(server).success(), "a clean stop");
    }
    let (stored, rows) = stored_click_ids(&db);
    assert_eq!(rows, stored.len(), "no click stored twice");
    let lost: Vec<&String> = answered.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered clicks lost: {:?}",
        lost.len(),
        answered.len(),
        &lost[..lost.len().min(5)]
    );
}
