//! SPEC §12 with the real binary: a click is durable once its redirect is answered. The
//! process is killed under load, its data directory torn, shared or filled, and every
//! answered redirect still becomes exactly one row.

mod common;

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{
    create_offer_when_ready, free_port, serve_command, signal, stored_click_ids, wait_for_exit,
    wait_until_serving, LinkLoad, Server,
};
use diesel::connection::SimpleConnection;
use trackly_test_db::TestDb;

/// The bootstrap key every server here starts with.
const KEY: &str = "trk_spoolspoolspoolspoolspoolspool12";
/// Clients following the link at once.
const CLIENTS: usize = 6;

/// Starts `trackly serve` on `db` and `data_dir` with its stderr captured.
fn start(
    db: &TestDb,
    data_dir: &Path,
    extra_env: &[(&str, &str)],
) -> (Server, u16, JoinHandle<String>) {
    let port = free_port();
    let mut command = serve_command(db.url(), port, data_dir);
    command
        .env("TRACKLY_BOOTSTRAP_API_KEY", KEY)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in extra_env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("start trackly serve");
    let stderr = drain(child.stderr.take().expect("stderr"));
    (Server(child), port, stderr)
}

/// Reads `stream` to its end on a thread.
fn drain(mut stream: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        text
    })
}

/// Follows a fresh offer's link with `CLIENTS` clients for a while, then SIGKILLs the
/// server; the click ids of the answered redirects.
fn kill_under_load(db: &TestDb, data_dir: &Path) -> Vec<String> {
    let (mut server, port, _stderr) = start(db, data_dir, &[]);
    let client = reqwest::blocking::Client::new();
    let link = create_offer_when_ready(&client, &format!("http://127.0.0.1:{port}"), KEY);
    let load = LinkLoad::start(&link, CLIENTS);
    std::thread::sleep(Duration::from_millis(1500));
    signal(&server.0, "-KILL");
    wait_for_exit(&mut server);
    let answered = load.stop();
    assert!(
        answered.len() > 100,
        "the load ran: {} redirects",
        answered.len()
    );
    answered
}

/// Restarts the server on the same database and data directory, waits until every
/// answered click is stored, stops it, and returns its log.
fn restart_until_stored(db: &TestDb, data_dir: &Path, answered: &[String]) -> String {
    let (mut server, port, stderr) = start(db, data_dir, &[]);
    wait_until_serving(
        &reqwest::blocking::Client::new(),
        &format!("http://127.0.0.1:{port}"),
    );
    let started = Instant::now();
    loop {
        let (stored, _) = stored_click_ids(db);
        if answered.iter().all(|id| stored.contains(id)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "after the restart, {} of {} answered clicks are stored",
            answered.iter().filter(|id| stored.contains(*id)).count(),
            answered.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(&server.0, "-TERM");
    assert_eq!(wait_for_exit(&mut server).code(), Some(0), "a clean stop");
    stderr.join().expect("the server's log")
}

/// Every answered click is stored once. Besides them, a click may be stored whose
/// redirect was being answered at the moment of the kill: spooled, then the process died
/// before the `302` left. At most one per client.
fn assert_each_answered_click_stored_once(db: &TestDb, answered: &[String]) {
    let (stored, rows) = stored_click_ids(db);
    assert_eq!(rows, stored.len(), "no click is stored twice");
    let answered: HashSet<&String> = answered.iter().collect();
    assert!(
        answered.iter().all(|id| stored.contains(*id)),
        "no answered click is lost"
    );
    let unanswered = rows - answered.len();
    assert!(
        unanswered <= CLIENTS,
        "{unanswered} stored clicks were never answered; at most one in flight per client"
    );
}

#[test]
fn sigkill_under_redirect_load_then_a_restart_stores_every_answered_redirect_exactly_once() {
    let db = TestDb::reserved();
    let data_dir = tempfile::tempdir().expect("data directory");
    let answered = kill_under_load(&db, data_dir.path());
    let (stored_before_restart, _) = stored_click_ids(&db);
    assert!(
        stored_before_restart.len() < answered.len(),
        "the kill left answered clicks only in the spool ({} of {} stored)",
        stored_before_restart.len(),
        answered.len()
    );
    let log = restart_until_stored(&db, data_dir.path(), &answered);
    assert!(
        log.contains("replaying"),
        "the restart says it replays the spool: {log}"
    );
    assert_each_answered_click_stored_once(&db, &answered);
}

#[test]
fn a_torn_last_record_is_skipped_with_a_log_line_and_the_start_succeeds() {
    let db = TestDb::reserved();
    let data_dir = tempfile::tempdir().expect("data directory");
    let answered = kill_under_load(&db, data_dir.path());
    // A crash in the middle of a write leaves a record's first bytes at the end.
    let mut segments: Vec<_> = std::fs::read_dir(data_dir.path().join("spool"))
        .expect("the spool directory")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "seg"))
        .collect();
    segments.sort();
    let last = segments.last().expect("a segment left by the kill");
    let mut bytes = std::fs::read(last).expect("read the segment");
    bytes.extend_from_slice(&[0x2a, 0x00, 0x00, 0x00, 0x17]);
    std::fs::write(last, bytes).expect("tear the last record");

    let log = restart_until_stored(&db, data_dir.path(), &answered);
    assert!(
        log.contains("skipped a torn record"),
        "the torn record is reported: {log}"
    );
    assert_each_answered_click_stored_once(&db, &answered);
}

#[test]
fn a_second_serve_on_the_same_data_directory_is_refused_with_exit_code_1() {
    let db = TestDb::reserved();
    let data_dir = tempfile::tempdir().expect("data directory");
    let (_first, port, _stderr) = start(&db, data_dir.path(), &[]);
    wait_until_serving(
        &reqwest::blocking::Client::new(),
        &format!("http://127.0.0.1:{port}"),
    );

    let second = serve_command(db.url(), free_port(), data_dir.path())
        .env("TRACKLY_BOOTSTRAP_API_KEY", KEY)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run a second trackly serve");
    assert_eq!(second.status.code(), Some(1), "refused");
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(
        message.contains("is in use by another trackly process")
            && message.contains("TRACKLY_DATA_DIR"),
        "with a clear message: {message}"
    );
}

#[test]
fn a_full_spool_drops_clicks_with_a_warning_and_redirects_still_answer() {
    let db = TestDb::reserved();
    let data_dir = tempfile::tempdir().expect("data directory");
    let (mut server, port, stderr) =
        start(&db, data_dir.path(), &[("TRACKLY_SPOOL_MAX_BYTES", "4096")]);
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let link = create_offer_when_ready(&client, &format!("http://127.0.0.1:{port}"), KEY);

    // The writer cannot store while the clicks table is locked, so the spool fills.
    let mut holder = db.connect();
    holder
        .batch_execute("BEGIN; LOCK TABLE clicks IN ACCESS EXCLUSIVE MODE")
        .expect("lock the clicks table");
    for n in 0..200 {
        let response = client
            .get(&link)
            .header(
                "User-Agent",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
            )
            .send()
            .expect("follow the link");
        assert_eq!(response.status(), 302, "redirect {n} is answered");
    }
    holder.batch_execute("COMMIT").expect("unlock");

    signal(&server.0, "-TERM");
    assert_eq!(wait_for_exit(&mut server).code(), Some(0), "a clean stop");
    let log = stderr.join().expect("the server's log");
    assert!(
        log.contains("clicks are being dropped: the spool holds its maximum"),
        "the drops are logged: {log}"
    );
    let (_, rows) = stored_click_ids(&db);
    assert!(rows > 0 && rows < 200, "what fitted is stored: {rows}");
    assert!(
        log.contains(&format!("{rows} stored, {} dropped", 200 - rows)),
        "and every other click is counted as dropped: {log}"
    );
}
