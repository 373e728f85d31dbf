//! SPEC §5.2, §12: tracking links keep answering while PostgreSQL is unreachable, their
//! clicks wait in the spool on disk, and every click is stored once it is back.

use std::time::{Duration, Instant};

use reqwest::Method;
use trackly_test_db::CONNECTION_PARAMS;
use trackly_tracking::Counter;

use crate::helpers::{TestApp, TestOptions};
use crate::proxy::TcpProxy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_keep_answering_through_a_database_outage_spooling_to_disk_and_every_click_is_stored(
) {
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let app = TestApp::spawn_with(TestOptions {
        database_url: Some(format!(
            "postgres://postgres@127.0.0.1:{}/{{db}}{CONNECTION_PARAMS}",
            proxy.port
        )),
        ..TestOptions::default()
    })
    .await;
    let offer = app.create_offer("Resilient").await;
    let path = format!(
        "/{}",
        offer["click_url"]
            .as_str()
            .expect("url")
            .rsplit('/')
            .next()
            .expect("code")
    );
    for _ in 0..20 {
        assert_eq!(app.follow(&path).await.status(), 302);
    }

    app.flush_clicks(Duration::from_secs(5)).await;
    let spooled_before_the_cut = spool_bytes_on_disk(&app);
    proxy.cut();
    let cut_at = Instant::now();
    for _ in 0..30 {
        assert_eq!(
            app.follow(&path).await.status(),
            302,
            "redirects answer during the cut"
        );
    }
    assert!(
        cut_at.elapsed() < Duration::from_secs(3),
        "and answer fast: {:?}",
        cut_at.elapsed()
    );
    let started = Instant::now();
    let status = app
        .api(Method::GET, "/api/v2/offers")
        .send()
        .await
        .expect("request")
        .status();
    assert_eq!(status, 503, "the API says the database is unavailable");
    assert!(
        started.elapsed() <= Duration::from_secs(3),
        "within 3 s: {:?}",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        spool_bytes_on_disk(&app) > spooled_before_the_cut,
        "the clicks of the outage wait in the spool on disk"
    );
    assert_eq!(app.click_rows(), 20, "and not in the database yet");
    assert_eq!(
        app.clicks().spool_bytes(),
        spool_bytes_on_disk(&app),
        "the spool counts what is on disk"
    );

    proxy.restore();
    app.flush_clicks(Duration::from_secs(20)).await;
    assert_eq!(app.click_rows(), 50, "every redirect answered is a row");
    assert_eq!(
        app.clicks().stats().get(Counter::Dropped),
        0,
        "nothing dropped"
    );
    assert_eq!(app.clicks().stats().get(Counter::Lost), 0, "nothing lost");
}

/// Bytes of the segment files in the app's data directory.
fn spool_bytes_on_disk(app: &TestApp) -> u64 {
    std::fs::read_dir(app.data_dir.path().join("spool"))
        .expect("the spool directory")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "seg"))
        .map(|path| std::fs::metadata(path).expect("metadata").len())
        .sum()
}
