//! SPEC §1.2, §8.3: API keys and postback secrets never reach the logs. `trackly serve`
//! runs as a process at `RUST_LOG=debug`; everything it writes is captured and searched.

mod common;

use common::{free_port, serve_command, wait_until_serving, Server};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use trackly_test_db::TestDb;

/// The bootstrap key, given through the environment.
const API_KEY: &str = "trk_LogsKeys0123456789abcdefghijKLMN";
/// Well-formed, but no account's key.
const WRONG_KEY: &str = "trk_WrongKey0123456789abcdefghijKLMN";
/// Well-formed, but no account's postback secret.
const WRONG_SECRET: &str = "pbs_WrongSecret0123456789abcdefghijk";
/// The line on which `serve` shows the generated postback secret, once.
const SECRET_LINE: &str = "Bootstrap postback secret:";

/// Drains `stream` to its end on a thread, so the server never blocks on a full pipe.
fn drain(mut stream: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .expect("read the server's output");
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// `trackly serve` at `RUST_LOG=debug` with every line it writes captured.
struct LoggedServer {
    server: Server,
    pid: u32,
    base: String,
    client: reqwest::blocking::Client,
    /// The bootstrap postback secret it printed.
    secret: String,
    stdout: JoinHandle<Vec<String>>,
    stderr: JoinHandle<String>,
    _db: TestDb,
    _data_dir: tempfile::TempDir,
}

impl LoggedServer {
    /// Starts a server with the bootstrap key `API_KEY`, once it answers.
    fn start() -> Self {
        let db = TestDb::reserved();
        let port = free_port();
        let data_dir = tempfile::tempdir().expect("data directory");
        let mut child = serve_command(db.url(), port, data_dir.path())
            .env("TRACKLY_BOOTSTRAP_API_KEY", API_KEY)
            .env("RUST_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start trackly serve");
        let stderr = drain(child.stderr.take().expect("stderr"));
        let (lines_sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stdout = thread::spawn(move || {
            let mut all = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines_sender.send(line.clone());
                all.push(line);
            }
            all
        });
        let pid = child.id();
        let server = Server(child);
        let secret = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(30))
                .expect("serve prints the bootstrap postback secret");
            if let Some(secret) = line.strip_prefix(SECRET_LINE) {
                break secret.trim().to_owned();
            }
        };
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        wait_until_serving(&client, &base);
        Self {
            server,
            pid,
            base,
            client,
            secret,
            stdout,
            stderr,
            _db: db,
            _data_dir: data_dir,
        }
    }

    /// Sends `request`; its status and JSON body.
    fn send(&self, request: reqwest::blocking::RequestBuilder) -> (u16, Value) {
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    }

    /// A request to `path` with the API key.
    fn api(&self, method: reqwest::Method, path: &str) -> reqwest::blocking::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("X-Api-Key", API_KEY)
    }

    /// Stops the server with SIGTERM (it must exit 0 within 15 s); its standard output
    /// lines and its standard error.
    fn stop(mut self) -> (Vec<String>, String) {
        let signalled = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .expect("kill");
        assert!(signalled.success());
        let signalled_at = Instant::now();
        let exit = loop {
            if let Some(exit) = self.server.0.try_wait().expect("wait") {
                break exit;
            }
            assert!(
                signalled_at.elapsed() < Duration::from_secs(15),
                "no exit after SIGTERM"
            );
            thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(exit.code(), Some(0), "a clean exit");
        (
            self.stdout.join().expect("stdout reader"),
            self.stderr.join().expect("stderr reader"),
        )
    }
}

#[test]
fn keys_and_secrets_never_reach_the_logs_even_at_debug_level() {
    let server = LoggedServer::start();
    let secret = server.secret.clone();
    let (base, client) = (server.base.clone(), server.client.clone());
    assert!(
        secret.starts_with("pbs_") && secret.len() == 36,
        "a postback secret: {secret}"
    );

    let status = |request| server.send(request);

    let (code, _) = status(
        client
            .get(format!("{base}/api/v2/offers"))
            .header("X-Api-Key", API_KEY),
    );
    assert_eq!(code, 200, "the key from the environment works");
    let (code, _) = status(
        client
            .get(format!("{base}/api/v2/offers"))
            .header("X-Api-Key", WRONG_KEY),
    );
    assert_eq!(code, 401, "a wrong key");
    let (code, _) = status(
        client
            .get(format!("{base}/api/v2/offers"))
            .header("Authorization", format!("Bearer {API_KEY}")),
    );
    assert_eq!(code, 401, "a key in the wrong header");

    let create = || {
        client
            .post(format!("{base}/api/v2/offers"))
            .header("X-Api-Key", API_KEY)
            .header("Idempotency-Key", "logs-create-1")
            .json(&json!({
                "name": "Logged",
                "tracking_url": "https://adv.example/t?c={click_id}",
                "external_id": "ext-logs",
                "payout": 2
            }))
    };
    let (code, created) = status(create());
    assert_eq!(code, 201, "create with an Idempotency-Key: {created}");
    let (code, replayed) = status(create());
    assert_eq!((code, &replayed), (201, &created), "the replay");
    let offer_id = created["offer"]["id"]
        .as_str()
        .expect("offer id")
        .to_owned();

    let (code, _) = status(
        client
            .get(format!("{base}/api/v2/offers/{offer_id}"))
            .header("X-Api-Key", API_KEY),
    );
    assert_eq!(code, 200);
    let (code, recorded) = status(
        client
            .post(format!("{base}/api/v2/revenue"))
            .header("X-Api-Key", API_KEY)
            .json(&json!({"offer_id": offer_id, "revenue": 1, "txn_id": "logs-1"})),
    );
    assert_eq!(code, 201, "revenue through the API: {recorded}");

    let postback = |path: &str, secret: &str| {
        status(client.get(format!("{base}{path}")).query(&[
            ("offer_id", offer_id.as_str()),
            ("txn_id", "logs-2"),
            ("postback_secret", secret),
        ]))
    };
    let (code, body) = postback("/conv/offer", &secret);
    assert_eq!(code, 201, "a postback with the real secret: {body}");
    let (code, _) = postback("/conv/offer", WRONG_SECRET);
    assert_eq!(code, 401, "a postback with a wrong secret");
    let (code, body) = status(client.get(format!("{base}/conv")).query(&[
        ("click_id", "664f1a2b3c4d5e6f7a8b9c0d"),
        ("postback_secret", secret.as_str()),
    ]));
    assert_eq!(code, 404, "a click postback for an unknown click: {body}");

    let (stdout, stderr) = server.stop();
    assert!(
        !stdout
            .iter()
            .any(|line| line.starts_with("Bootstrap API key:")),
        "a key from the environment is not printed: {stdout:?}"
    );
    assert_eq!(
        stdout
            .iter()
            .filter(|line| line.starts_with(SECRET_LINE))
            .count(),
        1,
        "the secret is shown once"
    );
    let output: String = stdout
        .iter()
        .filter(|line| !line.starts_with(SECRET_LINE))
        .map(|line| format!("{line}\n"))
        .chain([stderr])
        .collect();
    assert!(
        output.contains("\"GET /conv/offer\"") && output.contains("\"POST /api/v2/offers\""),
        "the requests were logged (so the search below means something):\n{output}"
    );
    let lowered = output.to_lowercase();
    let forbidden = [
        (API_KEY, "the API key"),
        (WRONG_KEY, "the wrong API key"),
        (secret.as_str(), "the postback secret"),
        (WRONG_SECRET, "the wrong postback secret"),
        ("X-Api-Key: trk_", "an X-Api-Key header"),
    ];
    for (needle, description) in forbidden {
        assert!(
            !output.contains(needle),
            "{description} is in the logs:\n{output}"
        );
    }
    for (needle, description) in [
        ("x-api-key", "the X-Api-Key header, in any case"),
        ("postback_secret=", "a postback_secret parameter"),
        ("bearer ", "an Authorization header"),
    ] {
        assert!(
            !lowered.contains(needle),
            "{description} is in the logs:\n{output}"
        );
    }
}

#[test]
fn phone_numbers_never_reach_the_logs_even_at_debug_level() {
    let server = LoggedServer::start();
    let phones = ["+14155550123", "+447911123456", "+33612345678"];
    let (code, offer) = server.send(server.api(reqwest::Method::POST, "/api/v2/offers").json(
        &json!({"name": "Phones", "tracking_url": "https://adv.example/t?c={click_id}&m={message_id}"}),
    ));
    assert_eq!(code, 201, "{offer}");
    let offer_id = offer["offer"]["id"].as_str().expect("offer id");
    let (code, link) = server.send(
        server
            .api(reqwest::Method::POST, "/api/v2/links/shorten")
            .json(&json!({"offerId": offer_id, "phoneNumber": phones[0], "contactPhone": phones[1], "messageId": "m-logs"})),
    );
    assert_eq!(code, 201, "{link}");
    let (code, bulk) = server.send(server.api(reqwest::Method::POST, "/api/v2/links/bulk").json(
        &json!({"links": [{"url": "https://shop.example", "phoneNumber": phones[2]}, {"url": "x", "phoneNumber": phones[2]}]}),
    ));
    assert_eq!(code, 200, "{bulk}");
    let (code, refused) = server.send(
        server
            .api(reqwest::Method::POST, "/api/v2/links/shorten")
            .json(&json!({"url": "https://shop.example", "phoneNumber": "+1415555", "contactPhone": phones[1]})),
    );
    assert_eq!(code, 400, "{refused}");
    let link_id = link["linkId"].as_str().expect("linkId");
    let followed = server
        .client
        .get(format!("{}/{link_id}?sub1={}", server.base, phones[0]))
        .header(
            "User-Agent",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        )
        .send()
        .expect("follow");
    assert_eq!(followed.status(), 302);
    let list = format!("/api/v2/links?list_id=%2B{}", &phones[1][1..]);
    let (code, _) = server.send(server.api(reqwest::Method::GET, &list));
    assert_eq!(code, 200);
    let (code, _) =
        server.send(server.api(reqwest::Method::GET, &format!("/api/v2/links/{link_id}")));
    assert_eq!(code, 200);
    let (code, recorded) = server.send(
        server
            .api(reqwest::Method::POST, "/api/v2/revenue")
            .json(&json!({"offer_id": offer_id, "message_id": "m-logs", "revenue": 3})),
    );
    assert_eq!(code, 201, "{recorded}");

    let (stdout, stderr) = server.stop();
    let output = format!("{}\n{stderr}", stdout.join("\n"));
    assert!(
        output.contains("\"POST /api/v2/links/shorten\"")
            && output.contains(&format!("\"GET /{link_id}\"")),
        "the requests were logged (so the search below means something):\n{output}"
    );
    for phone in phones {
        let digits = &phone[1..];
        assert!(
            !output.contains(digits),
            "{phone} is in the logs:\n{output}"
        );
    }
}
