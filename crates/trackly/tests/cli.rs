//! The `trackly` command (SPEC §4), run as a process against a test database.

mod common;

use common::{
    create_offer_when_ready, free_port, serve_command, stored_click_ids, wait_until_serving,
    LinkLoad, Server,
};
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
    let data_dir = tempfile::tempdir().expect("data directory");
    let mut child = serve_command(db.url(), port, data_dir.path())
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
    let data_dir = tempfile::tempdir().expect("data directory");
    let malformed = serve_command(db.url(), 0, data_dir.path())
        .env("TRACKLY_BOOTSTRAP_API_KEY", "not-a-key")
        .output()
        .expect("run");
    assert_eq!(malformed.status.code(), Some(1));

    let key = "trk_0123456789abcdefghijABCDEFGHIJ01";
    let port = free_port();
    let child = serve_command(db.url(), port, data_dir.path())
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
fn sigterm_and_sigint_under_redirect_load_exit_cleanly_with_every_answered_redirect_stored() {
    for signal in ["-TERM", "-INT"] {
        let db = TestDb::reserved();
        let data_dir = tempfile::tempdir().expect("data directory");
        let key = "trk_sigtermsigtermsigtermsigterm0123";
        let port = free_port();
        let mut child = serve_command(db.url(), port, data_dir.path())
            .env("TRACKLY_BOOTSTRAP_API_KEY", key)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start");
        let client = reqwest::blocking::Client::new();
        let link = create_offer_when_ready(&client, &format!("http://127.0.0.1:{port}"), key);
        let load = LinkLoad::start(&link, 4);
        std::thread::sleep(Duration::from_millis(1500));
        let signalled = Command::new("kill")
            .args([signal, &child.id().to_string()])
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
                "{signal}: no exit within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let answered = load.stop();
        assert_eq!(status.code(), Some(0), "{signal}: a clean exit");

        assert!(
            answered.len() > 100,
            "{signal}: the load ran: {} redirects",
            answered.len()
        );
        let (stored, rows) = stored_click_ids(&db);
        assert_eq!(
            rows,
            answered.len(),
            "{signal}: every answered redirect is a row"
        );
        assert!(
            answered.iter().all(|id| stored.contains(id)),
            "{signal}: the rows are the answered clicks"
        );
        let left: Vec<_> = std::fs::read_dir(data_dir.path().join("spool"))
            .expect("the spool directory")
            .collect();
        assert!(left.is_empty(), "{signal}: a drained spool is left empty");
    }
}

/// True when the database of `db` exists on the server.
fn database_exists(db: &TestDb) -> bool {
    use diesel::prelude::*;
    let mut admin = diesel::PgConnection::establish(&db.url().replace(db.name(), "postgres"))
        .expect("connect to the server");
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{}')",
        db.name()
    )))
    .get_result(&mut admin)
    .expect("look the database up")
}

#[test]
fn management_commands_never_create_a_database_and_need_database_url() {
    let id = "664f1a2b3c4d5e6f7a8b9c0d";
    let commands: [&[&str]; 6] = [
        &["accounts", "list"],
        &["accounts", "create", "--name", "Acme"],
        &["accounts", "rotate-secret", id],
        &["keys", "list", "--account", id],
        &["keys", "create", "--account", id],
        &["keys", "revoke", id],
    ];
    let missing = TestDb::reserved();
    for args in commands {
        let output = trackly(&missing, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?} on a missing database"
        );
        assert!(
            stderr.contains("does not exist") && stderr.contains("trackly migrate"),
            "{args:?} says what to do: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: one line");
        assert!(!database_exists(&missing), "{args:?} created no database");

        let unset = Command::new(env!("CARGO_BIN_EXE_trackly"))
            .args(args)
            .env_remove("DATABASE_URL")
            .output()
            .expect("run trackly");
        let stderr = String::from_utf8_lossy(&unset.stderr);
        assert_eq!(
            unset.status.code(),
            Some(1),
            "{args:?} without DATABASE_URL"
        );
        assert!(
            stderr.contains("DATABASE_URL is not set"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn serve_refuses_a_public_url_that_is_not_an_absolute_http_url() {
    let db = TestDb::reserved();
    let data_dir = tempfile::tempdir().expect("data directory");
    let cases = [
        ("t.example.com", "no scheme"),
        ("ftp://t.example.com", "not http(s)"),
        ("https://", "no host"),
        ("https://t.example.com/?ref=sms", "a query"),
        ("https://user:secret@t.example.com", "credentials"),
    ];
    for (public_url, description) in cases {
        let output = serve_command(db.url(), 0, data_dir.path())
            .env("TRACKLY_PUBLIC_URL", public_url)
            .output()
            .expect("run trackly serve");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{description}: refused");
        assert!(
            stderr.contains("TRACKLY_PUBLIC_URL") && stderr.contains("https://t.example.com"),
            "{description}: says why and what to give: {stderr}"
        );
        assert!(
            !stderr.contains("secret"),
            "{description}: credentials are not repeated"
        );
    }
    assert!(
        !database_exists(&db),
        "refused before touching the database"
    );
}
