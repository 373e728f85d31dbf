//! Helpers shared by the tests that run `trackly` as a process.

// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::process::{Child, Command};

pub mod streaming_pair;

/// `trackly serve` as a process: killed when the test ends, if it is still running.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Waits until the server at `base` answers `/healthz` (at most 20 s).
pub fn wait_until_serving(client: &reqwest::blocking::Client, base: &str) {
    let started = std::time::Instant::now();
    while client.get(format!("{base}/healthz")).send().is_err() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// `trackly serve` on `127.0.0.1:<port>`, storing into `database_url`, with its own data
/// directory (each node needs one; the default `./data` would be shared by every test).
pub fn serve_command(database_url: &str, port: u16, data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trackly"));
    command
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data_dir)
        .env("DATABASE_URL", database_url)
        .env_remove("TRACKLY_DATA_DIR");
    command
}

/// A quiet `serve` node on `database_url` with its own data directory, bootstrapping the
/// account of `key` (the first node creates it; the others find it), once it answers;
/// and its base URL.
pub fn quiet_node(database_url: &str, data_dir: &std::path::Path, key: &str) -> (Server, String) {
    let port = free_port();
    let child = serve_command(database_url, port, data_dir)
        .env("TRACKLY_BOOTSTRAP_API_KEY", key)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start trackly serve");
    let base = format!("http://127.0.0.1:{port}");
    wait_until_serving(&reqwest::blocking::Client::new(), &base);
    (Server(child), base)
}

/// Creates an offer through the API of a server that may still be starting (at most 20 s)
/// and returns its tracking link.
pub fn create_offer_when_ready(
    client: &reqwest::blocking::Client,
    base: &str,
    key: &str,
) -> String {
    let started = std::time::Instant::now();
    loop {
        let created = client
            .post(format!("{base}/api/v2/offers"))
            .header("X-Api-Key", key)
            .json(&serde_json::json!({"name": "Load", "tracking_url": "https://adv.example/x"}))
            .send();
        if let Ok(response) = created {
            assert_eq!(response.status(), 201);
            let offer: serde_json::Value = response.json().expect("json");
            return offer["offer"]["click_url"]
                .as_str()
                .expect("click_url")
                .to_owned();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Clients following one tracking link in a loop, each remembering the click id of every
/// `302` it was answered.
pub struct LinkLoad {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    clients: Vec<std::thread::JoinHandle<Vec<String>>>,
}

impl LinkLoad {
    /// Starts `clients` clients on `link`.
    pub fn start(link: &str, clients: usize) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let clients = (0..clients)
            .map(|_| {
                let (link, stop) = (link.to_owned(), stop.clone());
                std::thread::spawn(move || {
                    let client = reqwest::blocking::Client::builder()
                        .redirect(reqwest::redirect::Policy::none())
                        .timeout(std::time::Duration::from_secs(5))
                        .build()
                        .expect("client");
                    let mut answered = Vec::new();
                    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                        let Ok(response) = client
                            .get(&link)
                            .header(
                                "User-Agent",
                                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
                            )
                            .send()
                        else {
                            continue;
                        };
                        if response.status() == 302 {
                            let location = response.headers()["location"].to_str().expect("ascii");
                            let id = location.rsplit("click_id=").next().expect("a click id");
                            answered.push(id.to_owned());
                        }
                    }
                    answered
                })
            })
            .collect();
        Self { stop, clients }
    }

    /// Stops the clients; the click ids of every answered redirect.
    pub fn stop(self) -> Vec<String> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.clients
            .into_iter()
            .flat_map(|client| client.join().expect("a load client"))
            .collect()
    }
}

/// The ids of every stored click, and how many rows hold them.
pub fn stored_click_ids(
    db: &trackly_test_db::TestDb,
) -> (std::collections::HashSet<String>, usize) {
    use diesel::prelude::*;
    let ids: Vec<String> = trackly_store::schema::clicks::table
        .select(trackly_store::schema::clicks::id)
        .load(&mut db.connect())
        .expect("read click ids");
    let rows = ids.len();
    (ids.into_iter().collect(), rows)
}

/// Sends signal `name` (`-TERM`, `-KILL`, …) to `child`.
pub fn signal(child: &std::process::Child, name: &str) {
    let sent = std::process::Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success(), "{name} sent");
}

/// Waits for the server to exit (at most 15 s).
pub fn wait_for_exit(server: &mut Server) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().expect("poll the process") {
            return status;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the server did not exit"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
