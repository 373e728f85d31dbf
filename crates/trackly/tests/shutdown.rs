//! SPEC §1.9: on SIGTERM and on SIGINT (Ctrl-C) alike, `trackly serve` stops accepting
//! connections, finishes the requests in flight and exits 0 within 10 seconds.

mod common;

use common::{free_port, serve_command, wait_until_serving, Server};
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::{json, Value};
use trackly_store::schema::offers;
use trackly_test_db::TestDb;

/// The bootstrap key the server is started with (SPEC §1.2 format).
const KEY: &str = "trk_inflightinflightinflightinflight";
/// How many updates are in flight when the signal arrives.
const IN_FLIGHT: usize = 4;
/// How long the row stays locked after the signal.
const HOLD_AFTER_SIGNAL: Duration = Duration::from_secs(1);
/// SPEC §1.9.
const EXIT_WITHIN: Duration = Duration::from_secs(10);

/// Waits until `count` sessions on the database wait for a lock (at most 10 s).
fn wait_for_lock_waiters(conn: &mut PgConnection, count: i64) {
    let started = Instant::now();
    loop {
        let waiting: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock')",
        ))
        .get_result(conn)
        .expect("count lock waiters");
        if waiting >= count {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{waiting} of {count} requests wait on the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_finishes_in_flight_requests_refuses_new_ones_and_exits_0_within_10_s() {
    stops_gracefully_on("-TERM");
}

#[test]
fn sigint_finishes_in_flight_requests_refuses_new_ones_and_exits_0_within_10_s() {
    stops_gracefully_on("-INT");
}

/// Sends `signal` (as `kill` spells it) while requests wait inside the database.
fn stops_gracefully_on(signal: &str) {
    let db = TestDb::reserved();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let data_dir = tempfile::tempdir().expect("data directory");
    let child = serve_command(db.url(), port, data_dir.path())
        .env("TRACKLY_BOOTSTRAP_API_KEY", KEY)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start trackly serve");
    let mut server = Server(child);
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    wait_until_serving(&client, &base);
    let created = client
        .post(format!("{base}/api/v2/offers"))
        .header("X-Api-Key", KEY)
        .json(&json!({"name": "In flight", "tracking_url": "https://adv.example/x"}))
        .send()
        .expect("create an offer");
    assert_eq!(created.status(), 201);
    let created: Value = created.json().expect("json");
    let id = created["offer"]["id"]
        .as_str()
        .expect("offer id")
        .to_owned();

    // Lock the offer's row, so that updates wait inside the database: in flight.
    let mut holder = db.connect();
    holder.batch_execute("BEGIN").expect("begin");
    offers::table
        .filter(offers::id.eq(&id))
        .select(offers::id)
        .for_update()
        .get_result::<String>(&mut holder)
        .expect("lock the offer's row");
    let updates: Vec<JoinHandle<Result<(u16, Value), String>>> = (0..IN_FLIGHT)
        .map(|worker| {
            let request = client
                .put(format!("{base}/api/v2/offers/{id}"))
                .header("X-Api-Key", KEY)
                .json(&json!({"metadata": {format!("worker{worker}"): "done"}}));
            std::thread::spawn(move || {
                let response = request.send().map_err(|error| error.to_string())?;
                let status = response.status().as_u16();
                let body = response.json().map_err(|error| error.to_string())?;
                Ok((status, body))
            })
        })
        .collect();
    wait_for_lock_waiters(&mut db.connect(), i64::try_from(IN_FLIGHT).expect("small"));

    let signalled = Command::new("kill")
        .args([signal, &server.0.id().to_string()])
        .status()
        .expect("run kill");
    assert!(signalled.success(), "{signal} sent");
    let signalled_at = Instant::now();
    std::thread::sleep(HOLD_AFTER_SIGNAL);

    // Still running (the updates hold it), but no longer accepting.
    assert!(
        server.0.try_wait().expect("poll the process").is_none(),
        "the server waits for its in-flight requests"
    );
    let fresh = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    match fresh.get(format!("{base}/healthz")).send() {
        Ok(response) => panic!("a request after {signal} was served: {}", response.status()),
        Err(error) => assert!(error.is_connect(), "refused, not {error}"),
    }

    holder.batch_execute("COMMIT").expect("release the lock");
    for update in updates {
        match update.join().expect("an update thread") {
            Ok((status, body)) => assert_eq!(status, 200, "an in-flight PUT completes: {body}"),
            Err(error) => panic!("an in-flight PUT got no answer: {error}"),
        }
    }
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("poll the process") {
            break status;
        }
        assert!(
            signalled_at.elapsed() < EXIT_WITHIN,
            "no exit within {EXIT_WITHIN:?} of {signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "a clean exit");

    let metadata: Value = offers::table
        .filter(offers::id.eq(&id))
        .select(offers::metadata)
        .get_result(&mut db.connect())
        .expect("read the offer");
    for worker in 0..IN_FLIGHT {
        assert_eq!(
            metadata[format!("worker{worker}")],
            "done",
            "every in-flight update is stored: {metadata}"
        );
    }
}
