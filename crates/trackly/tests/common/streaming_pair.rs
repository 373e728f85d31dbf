//! A PostgreSQL streaming pair of the test's own: a primary made with `initdb` (its own
//! `pg_hba.conf` lets 127.0.0.1 replicate) and a replica made from it with
//! `pg_basebackup -R`, each on a free port of 127.0.0.1, in a temporary directory. Both
//! are stopped and removed when the pair is dropped, also when the test panics. Nothing of
//! the machine's own PostgreSQL or its configuration is touched.
//!
//! The server binaries are taken from `TRACKLY_TEST_PG_BINDIR`, else from the newest
//! `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql` package). PostgreSQL
//! refuses to run as root, so as root they run as the `postgres` user.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use diesel::dsl::sql;
use diesel::sql_types::{Bool, Text};
use diesel::{Connection, PgConnection, RunQueryDsl};
use trackly_test_db::CONNECTION_PARAMS;

use super::free_port;

/// How long a server may take to start or stop, or the replica to catch up.
const PATIENCE: Duration = Duration::from_secs(60);

/// A primary and its streaming replica, stopped when dropped.
pub struct StreamingPair {
    bin: PathBuf,
    run_as_postgres: bool,
    primary: Cluster,
    replica: Cluster,
    /// Removed last, with both data directories.
    root: tempfile::TempDir,
}

/// One server of the pair: its data directory and port.
struct Cluster {
    data: PathBuf,
    port: u16,
}

impl Cluster {
    /// The URL of database `name` on this cluster, with the test suite's connection
    /// parameters.
    fn url(&self, name: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{name}{CONNECTION_PARAMS}",
            self.port
        )
    }
}

impl StreamingPair {
    /// Makes and starts the primary, then the replica streaming from it.
    pub fn start() -> Self {
        let bin = server_binaries();
        let root = tempfile::tempdir().expect("a directory for the pair");
        let run_as_postgres = std::fs::metadata(root.path())
            .expect("the pair's directory")
            .uid()
            == 0;
        if run_as_postgres {
            give_to_postgres(root.path());
        }
        let primary_port = free_port();
        let pair = Self {
            bin,
            run_as_postgres,
            primary: Cluster {
                data: root.path().join("primary"),
                port: primary_port,
            },
            replica: Cluster {
                data: root.path().join("replica"),
                port: std::iter::repeat_with(free_port)
                    .find(|port| *port != primary_port)
                    .expect("a second free port"),
            },
            root,
        };
        pair.run(
            "initdb",
            &[
                "-D",
                path(&pair.primary.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
            ],
        );
        std::fs::write(
            pair.primary.data.join("pg_hba.conf"),
            "local all all trust\n\
             host all all 127.0.0.1/32 trust\n\
             host replication all 127.0.0.1/32 trust\n",
        )
        .expect("write the primary's pg_hba.conf");
        pair.start_cluster(&pair.primary);
        pair.run(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &pair.primary.port.to_string(),
                "-U",
                "postgres",
                "-D",
                path(&pair.replica.data),
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
            ],
        );
        pair.start_cluster(&pair.replica);
        pair
    }

    /// The URL of database `name` on the primary.
    pub fn primary_url(&self, name: &str) -> String {
        self.primary.url(name)
    }

    /// The URL of database `name` on the replica.
    pub fn replica_url(&self, name: &str) -> String {
        self.replica.url(name)
    }

    /// Stops the replica (a fast shutdown: its sessions are cut).
    pub fn stop_replica(&self) {
        self.stop_cluster(&self.replica, "fast");
    }

    /// Starts the replica again; it resumes streaming from the primary.
    pub fn start_replica(&self) {
        self.start_cluster(&self.replica);
    }

    /// Waits until the replica has replayed everything the primary has written.
    pub fn wait_until_caught_up(&self) {
        let mut primary = self.connect(&self.primary);
        let mut replica = self.connect(&self.replica);
        let written: String = diesel::select(sql::<Text>("pg_current_wal_lsn()::text"))
            .get_result(&mut primary)
            .expect("the primary's position");
        poll("the replica to catch up with the primary", || {
            diesel::select(sql::<Bool>(&format!(
                "pg_last_wal_replay_lsn() >= '{written}'::pg_lsn"
            )))
            .get_result(&mut replica)
            .expect("the replica's position")
        });
    }

    /// Pauses the replica's replay (it keeps answering, with what it had replayed), and
    /// waits until it has paused.
    pub fn pause_replay(&self) {
        let mut replica = self.connect(&self.replica);
        diesel::sql_query("SELECT pg_wal_replay_pause()")
            .execute(&mut replica)
            .expect("pause replay");
        poll("replay to pause", || {
            diesel::select(sql::<Text>("pg_get_wal_replay_pause_state()"))
                .get_result::<String>(&mut replica)
                .expect("the pause state")
                == "paused"
        });
    }

    /// Resumes the replica's replay.
    pub fn resume_replay(&self) {
        diesel::sql_query("SELECT pg_wal_replay_resume()")
            .execute(&mut self.connect(&self.replica))
            .expect("resume replay");
    }

    fn connect(&self, cluster: &Cluster) -> PgConnection {
        let url = cluster.url("postgres");
        PgConnection::establish(&url).unwrap_or_else(|error| panic!("connect to {url}: {error}"))
    }

    fn start_cluster(&self, cluster: &Cluster) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c autovacuum=off",
            cluster.port,
            path(self.root.path())
        );
        let log = cluster.data.with_extension("log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                path(&cluster.data),
                "-l",
                path(&log),
                "-o",
                &options,
                "-w",
                "-t",
                &PATIENCE.as_secs().to_string(),
                "start",
            ],
        );
    }

    fn stop_cluster(&self, cluster: &Cluster, mode: &str) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                path(&cluster.data),
                "-m",
                mode,
                "-w",
                "-t",
                &PATIENCE.as_secs().to_string(),
                "stop",
            ],
        );
    }

    /// Runs server binary `program` with `args` (as `postgres` when the test is root),
    /// which must succeed.
    fn run(&self, program: &str, args: &[&str]) {
        let output = self
            .command(program)
            .args(args)
            .current_dir(self.root.path())
            .output()
            .unwrap_or_else(|error| panic!("run {program}: {error}"));
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn command(&self, program: &str) -> Command {
        let binary = self.bin.join(program);
        if self.run_as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(binary);
            command
        } else {
            Command::new(binary)
        }
    }
}

impl Drop for StreamingPair {
    fn drop(&mut self) {
        for cluster in [&self.replica, &self.primary] {
            if cluster.data.join("postmaster.pid").exists() {
                let _ = self
                    .command("pg_ctl")
                    .args(["-D", path(&cluster.data), "-m", "immediate", "-w", "stop"])
                    .current_dir(self.root.path())
                    .output();
            }
        }
    }
}

/// The directory of `initdb`, `pg_ctl` and `pg_basebackup`.
fn server_binaries() -> PathBuf {
    if let Some(dir) = std::env::var_os("TRACKLY_TEST_PG_BINDIR") {
        return PathBuf::from(dir);
    }
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists() && bin.join("pg_basebackup").exists())
        .max_by_key(|bin| {
            bin.parent()
                .and_then(Path::file_name)
                .and_then(|version| version.to_str())
                .and_then(|version| version.parse::<u32>().ok())
        });
    newest.unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are not in \
             /usr/lib/postgresql/<version>/bin: install them (`apt-get install postgresql`) \
             or point TRACKLY_TEST_PG_BINDIR at their directory"
        )
    })
}

/// Hands `dir` to the `postgres` user, who runs the servers.
fn give_to_postgres(dir: &Path) {
    let id = |flag: &str| -> u32 {
        let output = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("run id");
        assert!(
            output.status.success(),
            "there is no postgres user to run the test's PostgreSQL servers as"
        );
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .expect("a numeric id")
    };
    std::os::unix::fs::chown(dir, Some(id("-u")), Some(id("-g")))
        .expect("give the pair's directory to postgres");
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// Polls `done` until it is true, or fails after `PATIENCE` naming `what`.
fn poll(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < PATIENCE,
            "waited {PATIENCE:?} for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
