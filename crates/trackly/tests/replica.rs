//! SPEC §14: with `DATABASE_READ_URL` set, the reads that tolerate lag (lists, stats,
//! clicks, links, the dashboard's pages) are served by a PostgreSQL streaming replica
//! while it keeps within the lag bound; writes, reads by id and whatever the replica
//! cannot serve (too far behind, stopped) go to the primary, and no request fails for
//! it. The replica is a real one, made by the test with `pg_basebackup`
//! (`common::streaming_pair`). Pausing its replay freezes what it shows, which tells the
//! replica's answers from the primary's.

mod common;

use std::fs::File;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::streaming_pair::StreamingPair;
use common::{free_port, serve_command, wait_until_serving, Server};
use diesel::prelude::*;
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::{json, Value};

/// The bootstrap key of the nodes' account.
const KEY: &str = "trk_replicareplicareplicareplica1234";
/// The nodes' lag bound: long enough that a loaded machine reads within it right after
/// writing, short enough to wait out.
const MAX_LAG: Duration = Duration::from_secs(10);
/// How long anything awaited may take.
const PATIENCE: Duration = Duration::from_secs(60);
/// A phone's user agent: its clicks are people's, counted in the stats.
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";

/// `trackly serve` on the pair: writes to the primary, lag-tolerant reads to the replica.
struct Node {
    base: String,
    log: PathBuf,
    _server: Server,
    _dir: tempfile::TempDir,
}

impl Node {
    fn start(pair: &StreamingPair) -> Self {
        let dir = tempfile::tempdir().expect("a directory for the node");
        let log = dir.path().join("serve.log");
        let port = free_port();
        let child = serve_command(&pair.primary_url("trackly"), port, &dir.path().join("data"))
            .env("DATABASE_READ_URL", pair.replica_url("trackly"))
            .env("TRACKLY_READ_MAX_LAG_MS", MAX_LAG.as_millis().to_string())
            .env("TRACKLY_BOOTSTRAP_API_KEY", KEY)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("the node's log"))
            .spawn()
            .expect("start trackly serve");
        let base = format!("http://127.0.0.1:{port}");
        wait_until_serving(&Client::new(), &base);
        Self {
            base,
            log,
            _server: Server(child),
            _dir: dir,
        }
    }

    /// How many lines of the node's log contain `text`.
    fn log_lines(&self, text: &str) -> usize {
        std::fs::read_to_string(&self.log)
            .expect("read the node's log")
            .lines()
            .filter(|line| line.contains(text))
            .count()
    }
}

/// Someone using one node, with its API key and signed in to its dashboard.
struct Marketer {
    http: Client,
    base: String,
    session: String,
}

impl Marketer {
    fn new(node: &Node) -> Self {
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        let session = sign_in(&http, &node.base);
        Self {
            http,
            base: node.base.clone(),
            session,
        }
    }

    /// `GET path` with the API key and the dashboard's session.
    fn get(&self, path: &str) -> (u16, String) {
        send(
            self.http
                .get(format!("{}{path}", self.base))
                .header("X-Api-Key", KEY)
                .header("Cookie", format!("trackly_session={}", self.session)),
        )
    }

    /// `POST path` with `body`, which must answer `201`; the answer.
    fn create(&self, path: &str, body: &Value) -> Value {
        let (status, answer) = send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("X-Api-Key", KEY)
                .json(body),
        );
        assert_eq!(status, 201, "POST {path}: {answer}");
        serde_json::from_str(&answer).expect("a JSON answer")
    }

    /// The replica's state in `/readyz`, which stays ready whatever it is.
    fn replica_state(&self) -> String {
        let (status, body) = send(self.http.get(format!("{}/readyz", self.base)));
        let body: Value = serde_json::from_str(&body).expect("a JSON answer");
        assert_eq!(
            status, 200,
            "the node is ready whatever its replica does: {body}"
        );
        body["replica"].as_str().unwrap_or_default().to_owned()
    }

    /// Waits until `/readyz` shows the replica `state`.
    fn wait_for_replica(&self, state: &str) {
        within(&format!("the replica to be {state}"), || {
            self.replica_state() == state
        });
    }
}

/// Sends `request`; never a 5xx. Its status and body.
fn send(request: RequestBuilder) -> (u16, String) {
    let response = request.send().expect("the node answers");
    let status = response.status().as_u16();
    let body = response.text().expect("a body");
    assert!(status < 500, "a {status}, never a 5xx: {body}");
    (status, body)
}

/// Signs in to the dashboard with `KEY`; the session cookie.
fn sign_in(http: &Client, base: &str) -> String {
    let form = http
        .get(format!("{base}/app/sign-in"))
        .send()
        .expect("the sign-in form");
    let form_cookie = cookie(&form, "trackly_sign_in");
    let page = form.text().expect("the form");
    let token = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form's token");
    let signed_in = http
        .post(format!("{base}/app/sign-in"))
        .header("Cookie", format!("trackly_sign_in={form_cookie}"))
        .form(&[("csrf_token", token), ("api_key", KEY)])
        .send()
        .expect("sign in");
    assert_eq!(signed_in.status(), 303, "the key signs in");
    cookie(&signed_in, "trackly_session")
}

/// The value of cookie `name` that `response` sets.
fn cookie(response: &reqwest::blocking::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|header| header.to_str().ok())
        .find_map(|header| header.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

/// Polls `done` until it is true, or fails after `PATIENCE` naming `what`.
fn within(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < PATIENCE,
            "waited {PATIENCE:?} for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What every round of writes builds on, made before the replica is paused: an offer and
/// a message's link to it.
struct Base {
    offer_id: String,
    link_id: String,
}

impl Base {
    fn make(client: &Marketer) -> Self {
        let offer = client.create(
            "/api/v2/offers",
            &json!({"name": "Base offer", "tracking_url": "https://adv.example/t?click_id={click_id}"}),
        );
        let offer_id = offer["offer"]["id"].as_str().expect("an id").to_owned();
        let link = client.create(
            "/api/v2/links/shorten",
            &json!({"offerId": offer_id, "listId": "replica", "contactPhone": "+14155550100", "messageId": "m-base"}),
        );
        let link_id = link["linkId"].as_str().expect("a link id").to_owned();
        Self { offer_id, link_id }
    }
}

/// A lag-tolerant read, and what its answer holds once it shows a round of writes.
struct Read {
    description: &'static str,
    path: String,
    shows_the_writes: String,
}

/// Round `round` of writes (tagged `tag`): an offer, a revenue event and a link, and a
/// click on the base link. Each is answered, or read by id, at once (from the primary).
/// The reads that show them, and what shows them.
fn write_round(
    client: &Marketer,
    pair: &StreamingPair,
    base: &Base,
    round: u32,
    tag: &str,
) -> Vec<Read> {
    let name = format!("Fresh {tag} offer");
    let created = client.create(
        "/api/v2/offers",
        &json!({"name": name, "tracking_url": "https://adv.example/t?click_id={click_id}"}),
    );
    assert_eq!(
        created["offer"]["name"], name,
        "the answer of a write shows it"
    );
    let fresh_offer = created["offer"]["id"].as_str().expect("an id");
    let (status, got) = client.get(&format!("/api/v2/offers/{fresh_offer}"));
    assert_eq!(status, 200, "GET of the new offer by id, at once: {got}");
    let (status, page) = client.get(&format!("/app/offers/{fresh_offer}"));
    assert!(
        status == 200 && page.contains(&name),
        "the dashboard opens the new offer's page at once: {status}"
    );
    // Lists of offers come from the offer cache, filled on the primary (SPEC §8.1).
    for list in [
        format!("/api/v2/offers?q={tag}"),
        format!("/app/offers?q={tag}"),
    ] {
        let (status, page) = client.get(&list);
        assert!(
            status == 200 && page.contains(&name),
            "{list} shows the new offer at once: {status}"
        );
    }
    let txn = format!("txn-{tag}");
    client.create(
        "/api/v2/revenue",
        &json!({"offer_id": base.offer_id, "revenue": 10, "txn_id": txn}),
    );
    let message = format!("m-{tag}");
    let link = client.create(
        "/api/v2/links/shorten",
        &json!({"offerId": base.offer_id, "listId": "replica", "contactPhone": "+14155550100", "messageId": message}),
    );
    let fresh_link = link["linkId"].as_str().expect("a link id").to_owned();
    let (status, got) = client.get(&format!("/api/v2/links/{fresh_link}"));
    assert_eq!(status, 200, "GET of the new link, at once: {got}");
    let click_id = click(client, pair, &base.link_id);
    vec![
        Read {
            description: "an offer's stats",
            path: format!("/api/v2/offers/{}/stats", base.offer_id),
            shows_the_writes: format!("\"conversions\":{round}"),
        },
        Read {
            description: "every offer's stats",
            path: "/api/v2/stats/offers".to_owned(),
            shows_the_writes: format!("\"conversions\":{round}"),
        },
        Read {
            description: "the revenue list",
            path: format!("/api/v2/revenue?offer_id={}", base.offer_id),
            shows_the_writes: txn.clone(),
        },
        Read {
            description: "an offer's clicks",
            path: format!("/api/v2/offers/{}/clicks", base.offer_id),
            shows_the_writes: click_id,
        },
        Read {
            description: "the links list",
            path: format!("/api/v2/links?message_id={message}"),
            shows_the_writes: fresh_link,
        },
        Read {
            description: "a link with its stats",
            path: format!("/api/v2/links/{}", base.link_id),
            shows_the_writes: format!("\"clicks\":{round}"),
        },
        Read {
            description: "the dashboard's overview",
            path: "/app".to_owned(),
            shows_the_writes: format!("Conversions</dt><dd>{round}</dd>"),
        },
        Read {
            description: "the dashboard's offer page",
            path: format!("/app/offers/{}", base.offer_id),
            shows_the_writes: txn,
        },
        Read {
            description: "the dashboard's messages",
            path: "/app/links".to_owned(),
            shows_the_writes: message,
        },
    ]
}

/// A person follows link `link_id`; once the click is stored on the primary, its id.
fn click(client: &Marketer, pair: &StreamingPair, link_id: &str) -> String {
    let response = client
        .http
        .get(format!("{}/{link_id}", client.base))
        .header("User-Agent", PHONE)
        .send()
        .expect("follow the link");
    assert_eq!(response.status(), 302, "the link redirects");
    let location = response.headers()["location"].to_str().expect("ascii");
    let click_id = location
        .rsplit("click_id=")
        .next()
        .expect("a click id")
        .to_owned();
    let mut primary = PgConnection::establish(&pair.primary_url("trackly")).expect("the primary");
    within("the click to be stored", || {
        trackly_store::schema::clicks::table
            .filter(trackly_store::schema::clicks::id.eq(&click_id))
            .count()
            .get_result::<i64>(&mut primary)
            .expect("count the click")
            == 1
    });
    click_id
}

/// Every read in `reads` answers `200`, and shows its writes (`shown`) or not.
fn assert_reads(client: &Marketer, reads: &[Read], shown: bool, why: &str) {
    for read in reads {
        let (status, body) = client.get(&read.path);
        assert_eq!(status, 200, "{}: {body}", read.description);
        assert_eq!(
            body.contains(&read.shows_the_writes),
            shown,
            "{} ({}) {why}: {body}",
            read.description,
            read.path
        );
    }
}

/// Pauses the replica's replay, writes round `round` and sees that the lag-tolerant
/// reads do not show it: they come from the replica. The round's reads.
fn writes_hidden_by_the_paused_replica(
    client: &Marketer,
    pair: &StreamingPair,
    base: &Base,
    round: u32,
    tag: &str,
) -> Vec<Read> {
    pair.wait_until_caught_up();
    pair.pause_replay();
    let written = Instant::now();
    let reads = write_round(client, pair, base, round, tag);
    assert_reads(
        client,
        &reads,
        false,
        &format!(
            "comes from the paused replica within the lag bound ({:?} after the first write)",
            written.elapsed()
        ),
    );
    reads
}

#[test]
fn lag_tolerant_reads_come_from_the_replica_within_the_bound_and_from_the_primary_past_it() {
    let pair = StreamingPair::start();
    let node = Node::start(&pair);
    let client = Marketer::new(&node);
    client.wait_for_replica("in_use");
    let base = Base::make(&client);

    let reads = writes_hidden_by_the_paused_replica(&client, &pair, &base, 1, "alpha");
    // Replay stays paused: once the replica is further behind than the bound, the same
    // reads come from the primary, and show the writes.
    client.wait_for_replica("lagging");
    assert_reads(
        &client,
        &reads,
        true,
        "comes from the primary past the bound",
    );

    // Replay resumed, the replica catches up and serves the reads again.
    pair.resume_replay();
    client.wait_for_replica("in_use");
    pair.wait_until_caught_up();
    assert_reads(&client, &reads, true, "shows the replayed writes");
    writes_hidden_by_the_paused_replica(&client, &pair, &base, 2, "bravo");
    pair.resume_replay();
}

#[test]
fn reads_go_to_the_primary_while_the_replica_is_down_and_back_to_it_when_it_returns() {
    let pair = StreamingPair::start();
    let node = Node::start(&pair);
    let client = Marketer::new(&node);
    client.wait_for_replica("in_use");
    let base = Base::make(&client);
    let reads = write_round(&client, &pair, &base, 1, "alpha");
    pair.wait_until_caught_up();
    assert_reads(&client, &reads, true, "shows the replayed writes");
    let unreachable = "read replica unreachable";
    let warned_before = node.log_lines(unreachable);

    // Stopped between two checks: the reads in flight lose their replica connections
    // and are answered by the primary.
    pair.stop_replica();
    assert_reads(&client, &reads, true, "is answered by the primary");
    client.wait_for_replica("unreachable");
    within("the replica's fall to be logged", || {
        node.log_lines(unreachable) > warned_before
    });
    for _ in 0..3 {
        assert_reads(&client, &reads, true, "is answered by the primary");
    }
    assert_eq!(
        node.log_lines(unreachable) - warned_before,
        1,
        "the replica's fall is logged once, not per request"
    );

    // Back: the replica serves the reads again.
    pair.start_replica();
    client.wait_for_replica("in_use");
    pair.wait_until_caught_up();
    assert_reads(&client, &reads, true, "shows the replayed writes");
    writes_hidden_by_the_paused_replica(&client, &pair, &base, 2, "bravo");
    pair.resume_replay();
}
