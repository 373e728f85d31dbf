//! SPEC §8.2: database outages, pool exhaustion and recovery.
//!
//! A database cut under write load must answer `503 service_unavailable` with
//! `Retry-After: 1` within 3 s per request, recover by itself within 5 s of the
//! database's return, and keep every write it acknowledged. A pool with no free
//! connection must answer 503 after its checkout timeout instead of hanging.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};
use trackly_store::schema::offers;
use trackly_test_db::CONNECTION_PARAMS;

use crate::helpers::{assert_error, send, TestApp, TestOptions};
use crate::proxy::TcpProxy;

/// Concurrent clients creating offers: three times the test server's blocking threads
/// (one worker, as many threads as its 8 pooled connections), so that requests queue for
/// a thread as they do under the SPEC §8.1 load.
const LOAD_TASKS: usize = 24;
/// How long the load runs before the cut.
const BEFORE_CUT: Duration = Duration::from_secs(1);
/// How long the database stays unreachable.
const CUT_FOR: Duration = Duration::from_secs(5);
/// How long the load keeps running after the restore: the recovery window and then some.
const AFTER_RESTORE: Duration = Duration::from_secs(7);
/// SPEC §8.2: a request fails fast while the database is down.
const FAIL_FAST: Duration = Duration::from_secs(3);
/// SPEC §8.2: the server recovers by itself after the database returns.
const RECOVERY: Duration = Duration::from_secs(5);
/// A client-side limit, so that a hanging request is reported instead of hanging the test.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);

/// What one request of the load saw.
struct Outcome {
    started: Instant,
    finished: Instant,
    /// The HTTP status, or 0 when no response arrived.
    status: u16,
    /// The error `code` of the body, if any.
    code: Option<String>,
    retry_after: Option<String>,
    /// The id of the created offer, on 201.
    offer_id: Option<String>,
    /// What went wrong, when no response arrived.
    failure: Option<String>,
}

impl Outcome {
    fn took(&self) -> Duration {
        self.finished - self.started
    }

    fn describe(&self, epoch: Instant) -> String {
        format!(
            "status {} code {:?} retry-after {:?} started at {:?} took {:?} failure {:?}",
            self.status,
            self.code,
            self.retry_after,
            self.started - epoch,
            self.took(),
            self.failure
        )
    }
}

/// What a load task needs to send requests on its own.
#[derive(Clone)]
struct Loader {
    client: reqwest::Client,
    address: String,
    api_key: String,
}

impl Loader {
    fn of(app: &TestApp) -> Self {
        Self {
            client: app.client.clone(),
            address: app.address.clone(),
            api_key: app.account.api_key.clone(),
        }
    }

    /// Creates offers one after another until `stop`, and reports every answer. Even
    /// tasks send an `Idempotency-Key`, so the transactional path is under load too.
    async fn create_offers_until(self, task: usize, stop: Arc<AtomicBool>) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        let mut sequence = 0_u64;
        while !stop.load(Ordering::SeqCst) {
            sequence += 1;
            let mut request = self
                .client
                .post(format!("{}/api/v2/offers", self.address))
                .header("X-Api-Key", &self.api_key)
                .timeout(CLIENT_TIMEOUT)
                .json(&json!({
                    "name": format!("Load {task}-{sequence}"),
                    "tracking_url": "https://adv.example.com/c?id={click_id}",
                }));
            if task.is_multiple_of(2) {
                request = request.header("Idempotency-Key", format!("load-{task}-{sequence}"));
            }
            let started = Instant::now();
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|value| value.to_str().ok())
                        .map(str::to_owned);
                    let body: Value = response.json().await.unwrap_or(Value::Null);
                    Outcome {
                        started,
                        finished: Instant::now(),
                        status,
                        code: body["code"].as_str().map(str::to_owned),
                        retry_after,
                        offer_id: body["offer"]["id"].as_str().map(str::to_owned),
                        failure: None,
                    }
                }
                Err(error) => Outcome {
                    started,
                    finished: Instant::now(),
                    status: 0,
                    code: None,
                    retry_after: None,
                    offer_id: None,
                    failure: Some(error.to_string()),
                },
            };
            outcomes.push(outcome);
        }
        outcomes
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_cut_under_load_fails_fast_with_503_recovers_and_keeps_acknowledged_writes() {
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let app = TestApp::spawn_with(TestOptions {
        database_url: Some(format!(
            "postgres://postgres@127.0.0.1:{}/{{db}}{CONNECTION_PARAMS}",
            proxy.port
        )),
        ..TestOptions::default()
    })
    .await;
    let epoch = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..LOAD_TASKS)
        .map(|task| tokio::spawn(Loader::of(&app).create_offers_until(task, stop.clone())))
        .collect();

    tokio::time::sleep(BEFORE_CUT).await;
    proxy.cut();
    let cut_at = Instant::now();
    tokio::time::sleep(CUT_FOR).await;
    proxy.restore();
    let restored_at = Instant::now();
    tokio::time::sleep(AFTER_RESTORE).await;
    stop.store(true, Ordering::SeqCst);
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("a load task"));
    }

    // Every answer is a created offer or "the database is unavailable"; nothing else, and
    // never a missing answer.
    for outcome in &outcomes {
        let seen = outcome.describe(epoch);
        assert!(
            matches!(outcome.status, 201 | 503),
            "only 201 or 503 under a database cut: {seen}"
        );
        if outcome.status == 503 {
            assert_eq!(
                outcome.code.as_deref(),
                Some("service_unavailable"),
                "{seen}"
            );
            assert_eq!(outcome.retry_after.as_deref(), Some("1"), "{seen}");
        }
    }
    assert!(
        outcomes
            .iter()
            .any(|outcome| outcome.status == 201 && outcome.finished < cut_at),
        "the load created offers before the cut"
    );

    // While the database is unreachable: every answer within 3 s, and it is a 503.
    for outcome in outcomes
        .iter()
        .filter(|outcome| outcome.finished >= cut_at && outcome.started <= restored_at)
    {
        assert!(
            outcome.took() <= FAIL_FAST,
            "a request around the cut answers within {FAIL_FAST:?}: {}",
            outcome.describe(epoch)
        );
    }
    let during_cut: Vec<_> = outcomes
        .iter()
        .filter(|outcome| outcome.started >= cut_at && outcome.finished <= restored_at)
        .collect();
    assert!(
        during_cut.len() >= LOAD_TASKS / 2,
        "the load kept sending during the cut: {} requests",
        during_cut.len()
    );
    for outcome in &during_cut {
        assert_eq!(
            outcome.status,
            503,
            "during the cut: {}",
            outcome.describe(epoch)
        );
    }

    // After the restore: 2xx again within 5 s, without a restart, and it stays that way.
    let recovered_at = outcomes
        .iter()
        .filter(|outcome| outcome.status == 201 && outcome.started >= restored_at)
        .map(|outcome| outcome.finished)
        .min()
        .expect("the API creates offers again after the restore");
    assert!(
        recovered_at - restored_at <= RECOVERY,
        "recovered {:?} after the restore",
        recovered_at - restored_at
    );
    let settled: Vec<_> = outcomes
        .iter()
        .filter(|outcome| outcome.started >= restored_at + RECOVERY)
        .collect();
    assert!(!settled.is_empty(), "the load ran past the recovery window");
    for outcome in settled {
        assert_eq!(
            outcome.status,
            201,
            "after recovery: {}",
            outcome.describe(epoch)
        );
    }

    // Every acknowledged create is in the database (looked up over a direct connection,
    // not through the proxy), once.
    let acknowledged: Vec<String> = outcomes
        .iter()
        .filter(|outcome| outcome.status == 201)
        .map(|outcome| {
            outcome
                .offer_id
                .clone()
                .expect("a 201 carries the offer id")
        })
        .collect();
    let distinct: HashSet<&String> = acknowledged.iter().collect();
    assert_eq!(
        distinct.len(),
        acknowledged.len(),
        "no id acknowledged twice"
    );
    let stored: i64 = offers::table
        .filter(offers::id.eq_any(&acknowledged))
        .count()
        .get_result(&mut app.db.connect())
        .expect("count the acknowledged offers");
    assert_eq!(
        stored,
        i64::try_from(acknowledged.len()).expect("a small count"),
        "every acknowledged offer is stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_pool_answers_503_within_3_s_instead_of_hanging() {
    let app = TestApp::spawn_with(TestOptions {
        pool_size: Some(1),
        ..TestOptions::default()
    })
    .await;
    let offer = app.create_offer("Contended").await;
    let id = offer["id"].as_str().expect("offer id").to_owned();

    // Lock the offer's row from outside the server, so that a PUT waits inside the
    // database while it holds the pool's only connection.
    let mut holder = app.db.connect();
    holder.batch_execute("BEGIN").expect("begin");
    offers::table
        .filter(offers::id.eq(&id))
        .select(offers::id)
        .for_update()
        .get_result::<String>(&mut holder)
        .expect("lock the offer's row");
    let put = tokio::spawn(send(
        app.api(Method::PUT, &format!("/api/v2/offers/{id}"))
            .json(&json!({"metadata": {"waited": "yes"}})),
    ));
    wait_for_lock_waiters(&app, 1).await;

    let started = Instant::now();
    let response = app
        .api(Method::GET, "/api/v2/offers")
        .timeout(CLIENT_TIMEOUT)
        .send()
        .await
        .expect("an answer, not a hang");
    let took = started.elapsed();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().expect("ASCII").to_owned());
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON body");
    assert_error(
        status,
        &body,
        503,
        "service_unavailable",
        "a request with no free connection",
    );
    assert_eq!(retry_after.as_deref(), Some("1"));
    assert!(took <= FAIL_FAST, "answered within {FAIL_FAST:?}: {took:?}");
    assert!(!put.is_finished(), "the PUT still waits on the row lock");

    holder.batch_execute("COMMIT").expect("release the lock");
    let (status, body) = tokio::time::timeout(Duration::from_secs(5), put)
        .await
        .expect("the PUT completes once the lock is released")
        .expect("the PUT task");
    assert_eq!(status, 200, "the waiting PUT succeeds: {body}");
    assert_eq!(body["metadata"]["waited"], "yes");
    let (status, body) = app.list_offers("").await;
    assert_eq!(status, 200, "the connection is back in the pool: {body}");
}

/// Waits until `count` sessions on the app's database wait for a lock (at most 10 s).
async fn wait_for_lock_waiters(app: &TestApp, count: i64) {
    let mut conn = app.db.connect();
    let started = Instant::now();
    loop {
        let waiting: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock')",
        ))
        .get_result(&mut conn)
        .expect("count lock waiters");
        if waiting >= count {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{waiting} of {count} requests wait on the lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
