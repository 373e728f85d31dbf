//! SPEC §1.2, §8.3: API keys and postback secrets never reach the logs. `trackly serve`
//! runs as a process at `RUST_LOG=debug`; everything it writes is captured and searched.

mod common;

use common::{free_port, wait_until_serving, Server};
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

#[test]
fn keys_and_secrets_never_reach_the_logs_even_at_debug_level() {
    let db = TestDb::reserved();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trackly"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db.url())
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
    let mut server = Server(child);

    let secret = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("serve prints the bootstrap postback secret");
        if let Some(secret) = line.strip_prefix(SECRET_LINE) {
            break secret.trim().to_owned();
        }
    };
    assert!(
        secret.starts_with("pbs_") && secret.len() == 36,
        "a postback secret: {secret}"
    );

    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    wait_until_serving(&client, &base);
    let status = |request: reqwest::blocking::RequestBuilder| -> (u16, Value) {
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    };

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

    let signalled = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(signalled.success());
    let signalled_at = Instant::now();
    let exit = loop {
        if let Some(exit) = server.0.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            signalled_at.elapsed() < Duration::from_secs(15),
            "no exit after SIGTERM"
        );
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.code(), Some(0), "a clean exit");

    let stderr = stderr.join().expect("stderr reader");
    let stdout = stdout.join().expect("stdout reader");
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
