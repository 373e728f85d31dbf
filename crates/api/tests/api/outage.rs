//! SPEC §5.2: tracking links keep answering while PostgreSQL is unreachable, and every
//! click is stored once it is back.

use std::time::{Duration, Instant};

use reqwest::Method;

use crate::helpers::{TestApp, TestOptions};
use crate::proxy::TcpProxy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_keep_answering_through_a_database_outage_and_every_click_is_stored() {
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let app = TestApp::spawn_with(TestOptions {
        database_url: Some(format!(
            "postgres://postgres@127.0.0.1:{}/{{db}}",
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

    proxy.restore();
    app.flush_clicks(Duration::from_secs(20)).await;
    assert_eq!(app.click_rows(), 50, "every redirect answered is a row");
}
