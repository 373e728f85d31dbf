//! The log of offer changes (`offer_changes`) as a reader sees it: every committed change
//! once, whatever order transactions commit in, and nothing of a transaction still
//! running or rolled back.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{sql_query, PgConnection, QueryableByName, RunQueryDsl};
use trackly_store::accounts::create_account;
use trackly_store::offer_changes::ChangeReader;
use trackly_test_db::TestDb;

/// An account with offers of codes `codes`, written before any reader starts; its id.
fn seed(conn: &mut PgConnection, codes: &[&str]) -> String {
    let account = create_account(conn, "test", None, chrono::Utc::now()).expect("an account");
    let account = account.account_id.as_str().to_owned();
    for (n, code) in codes.iter().enumerate() {
        conn.batch_execute(&format!(
            "INSERT INTO offer_codes (code, account_id, offer_id) VALUES ('{code}', '{account}', '{n:024}'); \
             INSERT INTO offers (id, account_id, code, name, tracking_url, payout, payout_type, \
                 filter_bots, status, metadata, created_at, updated_at) \
             VALUES ('{n:024}', '{account}', '{code}', 'Offer {n}', 'https://adv.example/', 0, 'cpa', \
                 false, 'active', '{{}}', now(), now())"
        ))
        .expect("an offer");
    }
    account
}

fn rename(conn: &mut PgConnection, code: &str) {
    conn.batch_execute(&format!(
        "UPDATE offers SET name = name || '!' WHERE code = '{code}'"
    ))
    .expect("renamed");
}

/// A reader on `conn` that has read what came before it. Its first horizon is the
/// oldest transaction running anywhere in the cluster (other tests' too), so it may
/// first read changes committed just before it started; a node's cache starts afresh
/// then anyway.
fn started_reader(conn: &mut PgConnection) -> ChangeReader {
    let mut reader = ChangeReader::start(conn).expect("a reader");
    reader.changes(conn).expect("what came before");
    reader
}

/// The codes of the changes `reader` reads now, sorted.
fn codes_read(reader: &mut ChangeReader, conn: &mut PgConnection) -> Vec<String> {
    let mut codes: Vec<String> = reader
        .changes(conn)
        .expect("changes")
        .into_iter()
        .map(|change| change.code.as_str().to_owned())
        .collect();
    codes.sort();
    codes
}

#[test]
fn a_reader_sees_each_committed_change_once_even_when_commits_come_out_of_order() {
    let db = TestDb::new();
    let mut setup = db.connect();
    let account = seed(&mut setup, &["aaaaaa", "bbbbbb", "cccccc"]);
    let mut reading = db.connect();
    let mut reader = started_reader(&mut reading);

    let mut early = db.connect();
    early.batch_execute("BEGIN").expect("begin");
    rename(&mut early, "aaaaaa");
    let mut late = db.connect();
    rename(&mut late, "bbbbbb");
    let changes = reader.changes(&mut reading).expect("changes");
    assert_eq!(changes.len(), 1, "the committed one only");
    assert_eq!(changes[0].account.as_str(), account);
    assert_eq!(changes[0].code.as_str(), "bbbbbb");

    early.batch_execute("COMMIT").expect("commit");
    assert_eq!(
        codes_read(&mut reader, &mut reading),
        ["aaaaaa"],
        "the transaction that began first and committed last"
    );
    assert!(
        codes_read(&mut reader, &mut reading).is_empty(),
        "each once"
    );

    let mut undone = db.connect();
    undone.batch_execute("BEGIN").expect("begin");
    rename(&mut undone, "cccccc");
    undone.batch_execute("ROLLBACK").expect("rollback");
    assert!(
        codes_read(&mut reader, &mut reading).is_empty(),
        "a rolled-back change"
    );
}

#[test]
fn old_changes_are_deleted_and_those_of_running_transactions_kept() {
    let db = TestDb::new();
    let mut setup = db.connect();
    seed(&mut setup, &["aaaaaa", "bbbbbb"]);
    let mut reading = db.connect();
    let mut reader = started_reader(&mut reading);
    rename(&mut setup, "aaaaaa");
    let mut running = db.connect();
    running.batch_execute("BEGIN").expect("begin");
    rename(&mut running, "bbbbbb");
    assert_eq!(codes_read(&mut reader, &mut reading), ["aaaaaa"]);

    // With nothing kept, what this reader has seen finish is old at its next cleaning,
    // once no transaction anywhere in the cluster (another test's) holds the horizon back.
    let started = std::time::Instant::now();
    while rows_of(&mut setup, "aaaaaa") > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the finished change is never deleted"
        );
        reader.changes(&mut reading).expect("changes");
        reader
            .forget_old_changes(&mut reading, Duration::ZERO)
            .expect("cleaned");
        std::thread::sleep(Duration::from_millis(10));
    }
    running.batch_execute("COMMIT").expect("commit");
    assert_eq!(
        codes_read(&mut reader, &mut reading),
        ["bbbbbb"],
        "the running transaction's change survived the cleaning"
    );
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// How many rows of the log name `code`.
fn rows_of(conn: &mut PgConnection, code: &str) -> i64 {
    sql_query(format!(
        "SELECT count(*) AS count FROM offer_changes WHERE code = '{code}'"
    ))
    .get_result::<Count>(conn)
    .expect("counted")
    .count
}
