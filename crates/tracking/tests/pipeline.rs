//! The click pipeline against real PostgreSQL (SPEC §12): every spooled click is stored
//! exactly once, across crashes, torn writes, outages and restarts.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use trackly_app::App;
use trackly_domain::click::Click;
use trackly_domain::ObjectId;
use trackly_test_db::TestDb;
use trackly_tracking::{ClickPipeline, ClickSink, Counter, SpoolConfig, TrackingError};

/// Small segments, so a few hundred clicks span several of them.
const SMALL_SEGMENTS: u64 = 8 * 1024;

fn config(dir: &Path) -> SpoolConfig {
    SpoolConfig {
        data_dir: dir.to_owned(),
        max_bytes: 64 << 20,
        fsync_interval: Duration::from_millis(20),
        segment_bytes: SMALL_SEGMENTS,
    }
}

/// A pipeline storing into `db`.
fn start(db: &TestDb, dir: &Path) -> (ClickPipeline, ClickSink) {
    ClickPipeline::start(App::connect(db.url(), 2), &config(dir)).expect("start the pipeline")
}

/// A pipeline whose database never answers: clicks stay in the spool.
fn start_without_database(dir: &Path) -> (ClickPipeline, ClickSink) {
    let nowhere = App::connect("postgres://postgres@127.0.0.1:1/nowhere", 1);
    ClickPipeline::start(nowhere, &config(dir)).expect("start the pipeline")
}

/// Click number `n` of one offer; its id is unique and derived from `n`.
fn click(n: u32) -> Click {
    let at: DateTime<Utc> = Utc::now();
    let seconds = u32::try_from(at.timestamp()).expect("a recent time");
    let mut random = [0u8; 8];
    random[4..].copy_from_slice(&n.to_be_bytes());
    Click {
        id: ObjectId::new(seconds, random),
        account_id: ObjectId::parse("664f1a2b000000000000000a").expect("id"),
        offer_id: Some(ObjectId::parse("664f1a2b000000000000000b").expect("id")),
        link: None,
        first_click: false,
        created_at: at,
        ip: Some(format!("198.51.100.{}", n % 250)),
        user_agent: Some("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)".to_owned()),
        referer: None,
        subs: [Some(format!("s{n}")), None, None, None, None],
        bot_reason: None,
    }
}

fn record(sink: &ClickSink, range: std::ops::Range<u32>) {
    for n in range {
        assert!(sink.record(&click(n)), "click {n} is spooled");
    }
}

fn click_rows(db: &TestDb) -> i64 {
    trackly_store::schema::clicks::table
        .count()
        .get_result(&mut db.connect())
        .expect("count clicks")
}

/// The rollups' click count: every stored click is counted once, however it arrived.
fn rollup_clicks(db: &TestDb) -> i64 {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT coalesce(sum(clicks), 0)::bigint FROM click_daily)",
    ))
    .get_result(&mut db.connect())
    .expect("sum the rollups")
}

/// The segment files of a data directory, oldest first.
fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("spool"))
        .expect("the spool directory")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "seg"))
        .collect();
    files.sort();
    files
}

/// Copies the spool of `from` (segments and commit watermark) into `to`'s.
fn copy_spool(from: &Path, to: &Path) {
    fs::create_dir_all(to.join("spool")).expect("create the spool directory");
    for entry in fs::read_dir(from.join("spool")).expect("the spool directory") {
        let file = entry.expect("an entry").path();
        let name = file.file_name().expect("a file name");
        fs::copy(&file, to.join("spool").join(name)).expect("copy a segment");
    }
}

#[test]
fn every_spooled_click_is_stored_once_and_committed_segments_are_deleted() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("data directory");
    let (pipeline, sink) = start(&db, dir.path());
    record(&sink, 0..600);
    assert!(
        segment_files(dir.path()).len() > 3,
        "600 clicks span several small segments"
    );
    assert!(pipeline.flush(Duration::from_secs(10)), "stored in time");
    assert_eq!(click_rows(&db), 600);
    assert_eq!(rollup_clicks(&db), 600, "the rollups count each click once");
    assert_eq!(
        segment_files(dir.path()).len(),
        1,
        "every full, committed segment is deleted; the one being appended to stays"
    );
    assert_eq!(pipeline.stats().get(Counter::Stored), 600);
    pipeline.shutdown(Duration::from_secs(5));
    assert!(
        segment_files(dir.path()).is_empty(),
        "a clean stop with everything stored leaves nothing to replay"
    );
}

#[test]
fn a_crash_between_commit_and_segment_deletion_stores_nothing_twice_on_replay() {
    const CLICKS: u32 = 6_000;
    const CLICKS_I64: i64 = 6_000;
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("data directory");
    let kept = tempfile::tempdir().expect("a copy of the spool");
    // Clicks are spooled while the database is away, so every segment still exists.
    let (offline, sink) = start_without_database(dir.path());
    record(&sink, 0..CLICKS);
    offline.shutdown(Duration::ZERO);
    copy_spool(dir.path(), kept.path());

    let (pipeline, _sink) = start(&db, dir.path());
    assert!(pipeline.flush(Duration::from_secs(10)), "replayed in time");
    pipeline.shutdown(Duration::from_secs(5));
    assert_eq!(click_rows(&db), CLICKS_I64);

    // The state a crash right after the commits would leave, with a commit watermark
    // that lagged behind (as after a crash of the machine): the clicks are stored, their
    // segments are still on disk, and the watermark still says nothing is committed.
    // More clicks than one batch, so some of them look fresh to the replay.
    copy_spool(kept.path(), dir.path());
    let (replay, _sink) = start(&db, dir.path());
    assert!(replay.flush(Duration::from_secs(10)), "replayed in time");
    assert_eq!(
        replay.stats().get(Counter::Stored),
        0,
        "nothing stored again"
    );
    assert_eq!(
        replay.stats().get(Counter::AlreadyStored),
        u64::from(CLICKS)
    );
    assert_eq!(
        replay.stats().get(Counter::Lost),
        0,
        "nothing is refused for good"
    );
    replay.shutdown(Duration::from_secs(5));
    assert_eq!(click_rows(&db), CLICKS_I64, "no click is stored twice");
    assert_eq!(rollup_clicks(&db), CLICKS_I64, "nor counted twice");
}

#[test]
fn a_torn_last_record_is_skipped_and_every_whole_record_is_stored() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("data directory");
    let (offline, sink) = start_without_database(dir.path());
    record(&sink, 0..50);
    offline.shutdown(Duration::ZERO);
    let segments = segment_files(dir.path());
    let last = segments.last().expect("a segment");
    // A crash in the middle of a write leaves the start of a record: its header and a
    // few payload bytes.
    let mut bytes = fs::read(last).expect("read the segment");
    let whole = bytes.len();
    let record_bytes = whole / 50;
    bytes.extend_from_within(whole - record_bytes..whole - record_bytes / 2);
    fs::write(last, bytes).expect("write the torn tail");

    let (pipeline, _sink) = start(&db, dir.path());
    assert!(pipeline.flush(Duration::from_secs(10)), "replayed in time");
    assert_eq!(click_rows(&db), 50, "every whole record is stored");
    assert_eq!(
        pipeline.stats().get(Counter::Skipped),
        1,
        "the torn one is skipped"
    );
    pipeline.shutdown(Duration::from_secs(5));
    assert!(
        segment_files(dir.path()).is_empty(),
        "and the spool is emptied"
    );
}

#[test]
fn clicks_left_in_the_spool_at_shutdown_are_stored_by_the_next_start() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("data directory");
    let (offline, sink) = start_without_database(dir.path());
    record(&sink, 0..120);
    assert!(
        !offline.flush(Duration::from_millis(300)),
        "nothing can be stored without the database"
    );
    offline.shutdown(Duration::from_millis(200));
    assert!(
        !segment_files(dir.path()).is_empty(),
        "the clicks stay on disk"
    );

    let (pipeline, sink) = start(&db, dir.path());
    record(&sink, 120..130);
    assert!(pipeline.flush(Duration::from_secs(10)), "stored in time");
    assert_eq!(
        click_rows(&db),
        130,
        "the earlier run's clicks and the new ones"
    );
    pipeline.shutdown(Duration::from_secs(5));
}

#[test]
fn a_full_spool_drops_new_clicks_and_counts_them() {
    let dir = tempfile::tempdir().expect("data directory");
    let nowhere = App::connect("postgres://postgres@127.0.0.1:1/nowhere", 1);
    let tiny = SpoolConfig {
        max_bytes: 4096,
        ..config(dir.path())
    };
    let (pipeline, sink) = ClickPipeline::start(nowhere, &tiny).expect("start");
    let spooled = (0..200).filter(|n| sink.record(&click(*n))).count() as u64;
    assert!(
        spooled > 0 && spooled < 200,
        "some fit, the rest do not: {spooled}"
    );
    assert_eq!(pipeline.stats().get(Counter::Spooled), spooled);
    assert_eq!(pipeline.stats().get(Counter::Dropped), 200 - spooled);
    assert!(pipeline.spool_bytes() <= 4096, "the limit holds");
    pipeline.shutdown(Duration::ZERO);
}

#[test]
fn a_second_pipeline_on_the_same_data_directory_is_refused() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("data directory");
    let (first, _sink) = start(&db, dir.path());
    match ClickPipeline::start(App::connect(db.url(), 1), &config(dir.path())) {
        Err(error @ TrackingError::DataDirInUse { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("in use by another trackly process")
                    && message.contains("TRACKLY_DATA_DIR"),
                "a clear message: {message}"
            );
        }
        Err(other) => panic!("refused for the wrong reason: {other}"),
        Ok(_) => panic!("two pipelines on one data directory"),
    }
    first.shutdown(Duration::from_secs(5));
    let (again, _sink) = start(&db, dir.path());
    again.shutdown(Duration::from_secs(5));
}

#[test]
fn a_replay_skips_what_the_earlier_process_recorded_as_committed_and_stores_the_rest() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().expect("data directory");
    let crashed = tempfile::tempdir().expect("the spool as a crash left it");
    let (first, sink) = start(&db, dir.path());
    record(&sink, 0..100);
    assert!(first.flush(Duration::from_secs(10)), "stored in time");
    // A crash now would leave this: 100 clicks stored and recorded as committed; the
    // segments they filled are deleted, the last one is still there.
    copy_spool(dir.path(), crashed.path());
    first.shutdown(Duration::from_secs(5));
    // The rows are removed again, so a replay that rewrote them would show.
    diesel::delete(trackly_store::schema::clicks::table)
        .execute(&mut db.connect())
        .expect("delete the clicks");
    // More clicks arrive after the crash point, while the database is away.
    let (offline, sink) = start_without_database(crashed.path());
    record(&sink, 100..300);
    offline.shutdown(Duration::ZERO);
    // Skipping committed clicks needs no database: the offline run may do it already.
    let skipped_offline = sink.stats().get(Counter::AlreadyStored);

    let (replay, _sink) = start(&db, crashed.path());
    assert!(replay.flush(Duration::from_secs(10)), "replayed in time");
    assert!(
        skipped_offline + replay.stats().get(Counter::AlreadyStored) > 0,
        "the committed clicks still in the spool are trusted as stored"
    );
    assert_eq!(
        replay.stats().get(Counter::Stored),
        200,
        "the rest is stored"
    );
    replay.shutdown(Duration::from_secs(5));
    assert_eq!(
        click_rows(&db),
        200,
        "the committed clicks are not written again"
    );
}
