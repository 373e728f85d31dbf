//! Every log line of this test binary is captured (at every level, every crate's), so a
//! test can show that the platform key never reaches one (SPEC §10.1 "never logged").

use std::sync::{Mutex, OnceLock};

use chrono::{Duration, Utc};
use log::{LevelFilter, Log, Metadata, Record};
use trackly_domain::integration::{RunStatus, SyncKind};
use trackly_fake_platforms::{EverflowConversion, EverflowOffer, FakeEverflow, FakeTune, Mode};
use trackly_fake_platforms::{TuneConversion, TuneOffer};
use trackly_sync::Syncer;

use crate::helpers::{assert_no_key, everflow_body, options, tune_body, tune_time, Context, KEY};

/// A wrong key, as secret as a right one.
const WRONG_KEY: &str = "WrOnG-kEy-0c1d2e3f";

/// The lines logged so far by every test of the binary.
struct Captured {
    lines: Mutex<Vec<String>>,
}

impl Log for Captured {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        self.lines
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(line);
    }

    fn flush(&self) {}
}

fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| Captured {
        lines: Mutex::new(Vec::new()),
    })
}

/// Installs the capturing logger, once per binary.
pub fn capture() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        log::set_logger(captured()).expect("no other logger in this binary");
        log::set_max_level(LevelFilter::Trace);
    });
}

/// Every line captured so far.
pub fn lines() -> Vec<String> {
    captured()
        .lines
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .clone()
}

#[tokio::test]
async fn the_key_reaches_no_log_line_no_run_error_and_no_column() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let an_hour_ago = Utc::now() - Duration::hours(1);
    tune.set_offers(vec![
        TuneOffer::new(531, "Echo"),
        TuneOffer::new(532, "Other"),
    ]);
    tune.set_conversions(vec![TuneConversion::new(
        "ev-1",
        531,
        &tune_time(an_hour_ago),
        "approved",
        "2.00000",
    )]);
    let everflow = FakeEverflow::start(KEY);
    everflow.set_offers(vec![EverflowOffer::new(77, "Acme")]);
    everflow.set_conversions(vec![EverflowConversion::new(
        "cv-1",
        77,
        an_hour_ago.timestamp(),
        "approved",
        "5.0",
    )]);

    // A wrong key (the platform may quote it back), then the right one.
    let refused = context
        .connect(tune_body(&tune, WRONG_KEY))
        .await
        .expect_err("a wrong key");
    let refusal = format!("{refused} {refused:?}");
    assert_no_key(&refusal, "the refusal");
    assert!(!refusal.contains(WRONG_KEY), "{refusal}");
    let tune_connection = context.connect_tune(&tune).await;
    let everflow_connection = context
        .connect(everflow_body(&everflow, KEY))
        .await
        .expect("connected to Everflow");

    // Runs that succeed, and runs that fail in every way that carries platform text.
    let mut errors = Vec::new();
    for (connection, kind) in [
        (&tune_connection, SyncKind::Offers),
        (&tune_connection, SyncKind::Conversions),
        (&everflow_connection, SyncKind::Offers),
        (&everflow_connection, SyncKind::Conversions),
    ] {
        let run = context.run(connection, kind).await;
        assert_eq!(run.status, RunStatus::Ok, "{kind}: {:?}", run.errors);
    }
    let echoes = [
        Mode::PlatformError(format!("bad request with NetworkToken={KEY}")),
        Mode::PlatformError(format!("Invalid NetworkToken {KEY}")),
        Mode::ServerError(500),
        Mode::Garbage,
    ];
    for mode in echoes {
        let times = if mode == Mode::ServerError(500) { 3 } else { 1 };
        tune.queue(mode.clone(), times);
        let run = context.run(&tune_connection, SyncKind::Offers).await;
        assert_eq!(run.status, RunStatus::Failed, "{mode:?}");
        errors.extend(run.errors);
        everflow.queue(mode.clone(), times);
        let run = context.run(&everflow_connection, SyncKind::Offers).await;
        assert_eq!(run.status, RunStatus::Failed, "{mode:?}");
        errors.extend(run.errors);
    }
    // The TUNE key travels in the query string: a transport error must not show the URL.
    drop(tune);
    let syncer = Syncer::new(context.app.clone(), options(), Default::default());
    let ended = syncer
        .run_account(&context.account, None)
        .await
        .expect("the runs");
    let failed: Vec<_> = ended
        .iter()
        .filter(|run| run.integration_id == tune_connection.id)
        .collect();
    assert_eq!(failed.len(), 2, "offers and conversions of TUNE");
    for run in failed {
        assert_eq!(run.status, RunStatus::Failed, "{:?}", run.errors);
        errors.extend(run.errors.clone());
    }

    assert!(
        errors
            .iter()
            .any(|error| error.contains("[redacted]") || error.contains("Invalid")),
        "the platform's words are kept: {errors:?}"
    );
    for error in &errors {
        assert_no_key(error, "a run error");
    }
    for run in context.runs(&tune_connection).await {
        for error in &run.errors {
            assert_no_key(error, "a stored run error");
        }
    }
    // The fakes' own server (actix) is the platform's side: it may see the key.
    let lines: Vec<String> = lines()
        .into_iter()
        .filter(|line| {
            !line
                .split(' ')
                .nth(1)
                .is_some_and(|target| target.starts_with("actix"))
        })
        .collect();
    assert!(
        lines
            .iter()
            .any(|line| line.contains(" reqwest::") || line.contains(" hyper")),
        "the HTTP client's own lines are captured too"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.contains("failed") && line.contains(tune_connection.id.as_str())),
        "the failed runs were logged, so capturing works"
    );
    for line in &lines {
        assert_no_key(line, "a log line");
        assert!(
            !line.contains(WRONG_KEY),
            "the wrong key was logged: {line}"
        );
    }
    for (table, rows) in context.dump() {
        assert_no_key(&rows, &format!("table {table}"));
    }
}
