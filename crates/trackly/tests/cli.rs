//! The `trackly` command (SPEC §4), run as a process against a test database.

mod common;

use common::{free_port, wait_until_serving, Server};
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use trackly_test_db::TestDb;

fn trackly(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(args)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run trackly")
}

fn json_output(db: &TestDb, args: &[&str]) -> Value {
    let output = trackly(db, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{args:?} printed no JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn accounts_and_keys_commands_print_parseable_json() {
    let db = TestDb::new();
    let account = json_output(&db, &["accounts", "create", "--name", "Acme", "--json"]);
    let account_id = account["account_id"].as_str().expect("account_id");
    assert_eq!(account["name"], "Acme");
    assert!(account["api_key"]
        .as_str()
        .is_some_and(|key| key.starts_with("trk_") && key.len() == 36));
    assert!(account["postback_secret"]
        .as_str()
        .is_some_and(|secret| !secret.is_empty()));

    let key = json_output(
        &db,
        &[
            "keys",
            "create",
            "--account",
            account_id,
            "--name",
            "ci",
            "--json",
        ],
    );
    assert_eq!(key["account_id"], account_id);
    let key_id = key["key_id"].as_str().expect("key_id");
    let api_key = key["api_key"].as_str().expect("api_key");

    let accounts = json_output(&db, &["accounts", "list", "--json"]);
    assert_eq!(accounts[0]["account_id"], account_id);
    assert_eq!(accounts[0]["key_count"], 2);

    let revoke = trackly(&db, &["keys", "revoke", key_id]);
    assert!(revoke.status.success());
    let keys = json_output(&db, &["keys", "list", "--account", account_id, "--json"]);
    let listed = keys.as_array().expect("array");
    assert_eq!(listed.len(), 2);
    let revoked = listed
        .iter()
        .find(|row| row["key_id"] == key_id)
        .expect("listed");
    assert_eq!(revoked["name"], "ci");
    assert_eq!(revoked["prefix"], &api_key[..8]);
    assert!(revoked["revoked_at"].is_string());
    assert_eq!(revoked["last_used_at"], Value::Null);
    let listing = serde_json::to_string(&keys).expect("text");
    assert!(!listing.contains(api_key), "a listing never shows a key");

    let rotated = json_output(&db, &["accounts", "rotate-secret", account_id, "--json"]);
    assert_eq!(rotated["account_id"], account_id);
    let secret = rotated["postback_secret"].as_str().expect("secret");
    assert!(secret.starts_with("pbs_") && secret != account["postback_secret"]);
    let unknown = trackly(
        &db,
        &["accounts", "rotate-secret", "664f1a2b3c4d5e6f7a8b9c0d"],
    );
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2_and_runtime_failures_exit_1_with_one_sentence() {
    let db = TestDb::new();
    let cases: [(&[&str], i32, &str); 4] = [
        (&["accounts", "create"], 2, "missing --name"),
        (&["frobnicate"], 2, "unknown command"),
        (
            &["keys", "list", "--account", "664f1a2b3c4d5e6f7a8b9c0d"],
            1,
            "unknown account",
        ),
        (
            &["keys", "revoke", "664f1a2b3c4d5e6f7a8b9c0d"],
            1,
            "unknown key",
        ),
    ];
    for (args, code, description) in cases {
        let output = trackly(&db, args);
        assert_eq!(output.status.code(), Some(code), "{description}");
        assert!(!output.stderr.is_empty(), "{description}: says why");
    }
}

#[test]
fn an_unreachable_database_is_reported_without_its_password() {
    let output = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(["migrate"])
        .env(
            "DATABASE_URL",
            "postgres://someone:hunter2@127.0.0.1:1/trackly",
        )
        .output()
        .expect("run trackly");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot use the database at postgres://someone:***@127.0.0.1:1/trackly"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn serve_creates_the_database_bootstraps_a_key_and_answers_the_create_example() {
    let db = TestDb::reserved();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .env_remove("TRACKLY_BOOTSTRAP_API_KEY")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start trackly serve");
    let stdout = child.stdout.take().expect("stdout");
    let _server = Server(child);
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let key_line = lines
        .find(|line| line.starts_with("Bootstrap API key:"))
        .expect("a bootstrap key line");
    std::thread::spawn(move || lines.for_each(drop));
    let key = key_line
        .trim_start_matches("Bootstrap API key:")
        .trim()
        .to_owned();

    let client = reqwest::blocking::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_serving(&client, &base);
    let response = client
        .post(format!("{base}/api/v2/offers"))
        .header("X-Api-Key", &key)
        .header("Content-Type", "application/json")
        .body(
            json!({
                "name": "Summer Promo",
                "tracking_url": "https://advertiser.com/track?click={click_id}",
                "external_platform": "tune",
                "external_id": "1234",
                "payout": 2.50,
                "metadata": {"vertical": "ecommerce", "geo": "US"}
            })
            .to_string(),
        )
        .send()
        .expect("create");
    assert_eq!(response.status(), 201);
    let body: Value = response.json().expect("json");
    assert_eq!(
        body["offer"]["click_url"]
            .as_str()
            .map(|url| url.starts_with(&base)),
        Some(true)
    );
}

#[test]
fn serve_uses_the_bootstrap_key_from_the_environment_and_refuses_a_malformed_one() {
    let db = TestDb::reserved();
    let malformed = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", db.url())
        .env("TRACKLY_BOOTSTRAP_API_KEY", "not-a-key")
        .output()
        .expect("run");
    assert_eq!(malformed.status.code(), Some(1));

    let key = "trk_0123456789abcdefghijABCDEFGHIJ01";
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db.url())
        .env("TRACKLY_BOOTSTRAP_API_KEY", key)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start");
    let _server = Server(child);
    let client = reqwest::blocking::Client::new();
    let started = Instant::now();
    let status = loop {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/api/v2/offers"))
            .header("X-Api-Key", key)
            .send()
        {
            break response.status();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status, 200);
}

#[test]
fn sigterm_under_redirect_load_exits_cleanly_with_every_answered_redirect_stored() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;

    let db = TestDb::reserved();
    let key = "trk_sigtermsigtermsigtermsigterm0123";
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db.url())
        .env("TRACKLY_BOOTSTRAP_API_KEY", key)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let started = Instant::now();
    let offer: Value = loop {
        let created = client
            .post(format!("{base}/api/v2/offers"))
            .header("X-Api-Key", key)
            .json(&json!({"name": "Load", "tracking_url": "https://adv.example/x"}))
            .send();
        if let Ok(response) = created {
            assert_eq!(response.status(), 201);
            break response.json().expect("json");
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let link = offer["offer"]["click_url"]
        .as_str()
        .expect("click_url")
        .to_owned();

    let answered = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let loaders: Vec<_> = (0..4)
        .map(|_| {
            let (client, link, answered, stop) =
                (client.clone(), link.clone(), answered.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match client.get(&link).header("User-Agent", "Mozilla/5.0").send() {
                        Ok(response) if response.status() == 302 => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(_) | Err(_) => {}
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let signalled = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(signalled.success());
    let signalled_at = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            signalled_at.elapsed() < Duration::from_secs(10),
            "no exit within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    stop.store(true, Ordering::SeqCst);
    for loader in loaders {
        loader.join().expect("loader");
    }
    assert_eq!(status.code(), Some(0), "a clean exit");

    let answered = answered.load(Ordering::SeqCst);
    assert!(answered > 100, "the load ran: {answered} redirects");
    let rows: i64 = {
        use diesel::prelude::*;
        trackly_store::schema::clicks::table
            .count()
            .get_result(&mut db.connect())
            .expect("count")
    };
    assert_eq!(rows, answered as i64, "every answered redirect is a row");
}
