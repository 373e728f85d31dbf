//! Helpers shared by the tests that run `trackly` as a process.

use std::process::Child;

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
