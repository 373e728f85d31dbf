//! SPEC §10 with `trackly serve` as processes: two nodes whose schedules are due at once
//! run each sync once (the advisory lock), the platform key never reaches a log line,
//! `serve` refuses stored connections it cannot open, and `trackly sync` runs them now.

mod common;

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, serve_command, signal, wait_for_exit, wait_until_serving, Server};
use diesel::prelude::*;
use serde_json::{json, Value};
use trackly_fake_platforms::{FakeTune, Mode, TuneConversion, TuneOffer};
use trackly_test_db::TestDb;

/// The bootstrap key (the first node creates the account; the second finds it).
const KEY: &str = "trk_syncsyncsyncsyncsyncsyncsync1234";
/// The platform's key: distinctive, so a leak is easy to find.
const PLATFORM_KEY: &str = "PlAtFoRm-KeY-8c1d";
/// `TRACKLY_SECRET_KEY`.
const SECRET: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/// A node on `db` that looks at the schedule every second, logging to `log`.
fn node(db: &TestDb, data_dir: &Path, log: &Path, secret: Option<&str>) -> (Server, String) {
    let port = free_port();
    let mut command = serve_command(db.url(), port, data_dir);
    command
        .env("TRACKLY_BOOTSTRAP_API_KEY", KEY)
        .env("TRACKLY_SYNC_TICK_SECONDS", "1")
        .env("TRACKLY_PLATFORM_TIMEOUT_SECONDS", "5")
        .env("RUST_LOG", "debug")
        .env_remove("TRACKLY_SECRET_KEY")
        .stdout(File::create(log.with_extension("out")).expect("log file"))
        .stderr(File::create(log).expect("log file"));
    if let Some(secret) = secret {
        command.env("TRACKLY_SECRET_KEY", secret);
    }
    let child = command.spawn().expect("start trackly serve");
    let base = format!("http://127.0.0.1:{port}");
    wait_until_serving(&reqwest::blocking::Client::new(), &base);
    (Server(child), base)
}

/// How many runs of each kind are stored, and how many are still running.
fn runs(db: &TestDb) -> (i64, i64, i64) {
    let mut conn = db.connect();
    let mut count = |sql: &str| -> i64 {
        diesel::dsl::sql::<diesel::sql_types::BigInt>(sql)
            .get_result(&mut conn)
            .expect("count")
    };
    (
        count("SELECT count(*) FROM sync_runs WHERE kind = 'offers'"),
        count("SELECT count(*) FROM sync_runs WHERE kind = 'conversions'"),
        count("SELECT count(*) FROM sync_runs WHERE status = 'running'"),
    )
}

fn tune() -> FakeTune {
    let tune = FakeTune::start(PLATFORM_KEY);
    tune.set_offers(vec![
        TuneOffer::new(532, "Bingo Blitz").with("default_payout", "2.00000"),
        TuneOffer::new(533, "Spin Palace").with("default_payout", "1.50000"),
    ]);
    let recent = (chrono::Utc::now() - chrono::Duration::hours(2))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    tune.set_conversions(vec![TuneConversion::new(
        "evt-1", 532, &recent, "approved", "2.00000",
    )]);
    tune
}

#[test]
fn two_nodes_due_at_once_run_each_sync_once_and_never_log_the_key() {
    let db = TestDb::reserved();
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let logs = tempfile::tempdir().expect("dir");
    let tune = tune();
    let (mut first, base) = node(
        &db,
        dirs[0].path(),
        &logs.path().join("first.log"),
        Some(SECRET),
    );
    let (mut second, _) = node(
        &db,
        dirs[1].path(),
        &logs.path().join("second.log"),
        Some(SECRET),
    );
    // Slow answers keep the first run's lock held while both nodes' schedules look.
    tune.queue(Mode::Slow(Duration::from_millis(1500)), 2);
    let client = reqwest::blocking::Client::new();
    let made: Value = client
        .post(format!("{base}/api/v2/integrations"))
        .header("X-Api-Key", KEY)
        .json(
            &json!({"platform": "tune", "base_url": tune.base_url(), "affiliate_id": "3",
                      "api_key": PLATFORM_KEY}),
        )
        .send()
        .expect("connect")
        .json()
        .expect("json");
    assert_eq!(made["integration"]["api_key"], "…8c1d", "{made}");

    let started = Instant::now();
    while runs(&db) != (1, 1, 0) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "runs (offers, conversions, running): {:?}",
            runs(&db)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Several more looks by both nodes: nothing is due again within the period.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(runs(&db), (1, 1, 0), "each sync ran once");
    let offers: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT count(*) FROM offers WHERE external_platform = 'tune'",
    )
    .get_result(&mut db.connect())
    .expect("count");
    assert_eq!(offers, 2);

    for server in [&mut first, &mut second] {
        signal(&server.0, "-TERM");
        wait_for_exit(server);
    }
    for entry in std::fs::read_dir(logs.path()).expect("logs") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("log");
        assert!(!text.is_empty() || path.extension().is_some_and(|e| e == "out"));
        assert!(
            !text.contains(PLATFORM_KEY),
            "the key is in {}",
            path.display()
        );
    }
}

#[test]
fn serve_refuses_stored_connections_it_cannot_open_and_trackly_sync_runs_them_now() {
    let db = TestDb::reserved();
    let dir = tempfile::tempdir().expect("dir");
    let logs = tempfile::tempdir().expect("dir");
    let tune = tune();
    let (mut server, base) = node(
        &db,
        dir.path(),
        &logs.path().join("serve.log"),
        Some(SECRET),
    );
    let client = reqwest::blocking::Client::new();
    let made: Value = client
        .post(format!("{base}/api/v2/integrations"))
        .header("X-Api-Key", KEY)
        .json(
            &json!({"platform": "tune", "base_url": tune.base_url(), "affiliate_id": "3",
                      "api_key": PLATFORM_KEY, "sync_conversions": false}),
        )
        .send()
        .expect("connect")
        .json()
        .expect("json");
    assert!(made["integration"]["id"].is_string(), "{made}");
    let started = Instant::now();
    while runs(&db) != (1, 0, 0) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the schedule ran no offer sync"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    signal(&server.0, "-TERM");
    wait_for_exit(&mut server);

    let refusals = [
        (None, "TRACKLY_SECRET_KEY is not set", "no key"),
        (
            Some("00".repeat(32)),
            "does not open with TRACKLY_SECRET_KEY",
            "another key",
        ),
    ];
    for (secret, message, description) in refusals {
        let mut command = serve_command(db.url(), free_port(), dir.path());
        command.env_remove("TRACKLY_SECRET_KEY");
        if let Some(secret) = &secret {
            command.env("TRACKLY_SECRET_KEY", secret);
        }
        let output = command.output().expect("run serve");
        assert!(!output.status.success(), "{description}: serve started");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{description}: {stderr}");
    }

    let account: String =
        diesel::dsl::sql::<diesel::sql_types::Text>("SELECT account_id FROM integrations LIMIT 1")
            .get_result(&mut db.connect())
            .expect("account");
    let output = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args([
            "sync",
            "--account",
            &account,
            "--platform",
            "tune",
            "--json",
        ])
        .env("DATABASE_URL", db.url())
        .env("TRACKLY_SECRET_KEY", SECRET)
        .stderr(Stdio::piped())
        .output()
        .expect("run trackly sync");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ran: Value = serde_json::from_str(&stdout).expect("a JSON array");
    let ran = ran.as_array().expect("runs");
    assert_eq!(ran.len(), 1, "only offers are synced: {stdout}");
    assert_eq!(ran[0]["kind"], "offers");
    assert_eq!(ran[0]["status"], "ok", "{stdout}");
    assert_eq!(
        (
            ran[0]["offers_created"].clone(),
            ran[0]["offers_updated"].clone()
        ),
        (json!(0), json!(0)),
        "the schedule made them already, unchanged since: {stdout}"
    );
    assert!(!stdout.contains(PLATFORM_KEY));
}
