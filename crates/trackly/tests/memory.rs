//! `serve` runs with two malloc arenas (docs/PERFORMANCE.md, "Links"), however it is
//! started, and an operator's own `MALLOC_ARENA_MAX` wins.

mod common;

use std::process::Stdio;

use common::{free_port, serve_command, wait_until_serving, Server};
use trackly_test_db::TestDb;

/// The `MALLOC_ARENA_MAX` of a `serve` started with `arenas` in its environment (or
/// without the variable), read from the running process.
fn arenas_of_serve(arenas: Option<&str>) -> Option<String> {
    let db = TestDb::reserved();
    let data_dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut command = serve_command(db.url(), port, data_dir.path());
    command.env_remove("MALLOC_ARENA_MAX");
    if let Some(arenas) = arenas {
        command.env("MALLOC_ARENA_MAX", arenas);
    }
    let server = Server(
        command
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start trackly serve"),
    );
    wait_until_serving(
        &reqwest::blocking::Client::new(),
        &format!("http://127.0.0.1:{port}"),
    );
    let environ =
        std::fs::read(format!("/proc/{}/environ", server.0.id())).expect("the environment");
    environ
        .split(|byte| *byte == 0)
        .filter_map(|entry| std::str::from_utf8(entry).ok())
        .find_map(|entry| entry.strip_prefix("MALLOC_ARENA_MAX=").map(str::to_owned))
}

#[test]
fn serve_runs_with_two_malloc_arenas_unless_the_operator_chose() {
    let cases = [
        (None, Some("2"), "started by hand: two arenas"),
        (Some("4"), Some("4"), "the operator's value is kept"),
    ];
    for (set, running, description) in cases {
        assert_eq!(arenas_of_serve(set).as_deref(), running, "{description}");
    }
}
