//! A tracker does not keep its app alive: once the app, the tracker and the click
//! pipeline are dropped, the app's own threads end and close their sessions (the offer
//! cache's change reader among them), as a server's do when it stops.

use std::time::{Duration, Instant};

use diesel::sql_types::BigInt;
use diesel::{sql_query, PgConnection, QueryableByName, RunQueryDsl};
use trackly_app::App;
use trackly_store::offer_changes::READER_NAME;
use trackly_test_db::TestDb;
use trackly_tracking::{BotDetector, ClickPipeline, SpoolConfig, Tracker};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// How many change readers are connected to this test's database.
fn readers(psql: &mut PgConnection) -> i64 {
    sql_query(format!(
        "SELECT count(*) AS count FROM pg_stat_activity \
         WHERE application_name = '{READER_NAME}' AND datname = current_database()"
    ))
    .get_result::<Count>(psql)
    .expect("pg_stat_activity")
    .count
}

/// Waits until `readers` says `expected`; fails after five seconds.
fn until_readers(psql: &mut PgConnection, expected: i64, why: &str) {
    let started = Instant::now();
    while readers(psql) != expected {
        assert!(started.elapsed() < Duration::from_secs(5), "{why}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_app_with_a_tracker_ends_its_change_reader_once_both_are_dropped() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("a data directory");
    let mut psql = db.connect();
    let app = App::connect(db.url(), 2).with_offer_cache(db.url(), 1 << 20);
    let spool = SpoolConfig {
        data_dir: dir.path().to_owned(),
        max_bytes: 1 << 20,
        fsync_interval: Duration::from_millis(20),
        segment_bytes: 64 * 1024,
    };
    let (pipeline, sink) = ClickPipeline::start(app.clone(), &spool).expect("a pipeline");
    let tracker = Tracker::new(app.clone(), BotDetector::new(), sink);
    until_readers(&mut psql, 1, "the app's change reader never connected");

    drop((tracker, pipeline, app));

    until_readers(&mut psql, 0, "the change reader outlived its app");
}
