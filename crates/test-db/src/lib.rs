//! One fresh PostgreSQL database per test. The migrations are applied once, to a
//! template database named after a digest of `migrations/`; each test then gets
//! `CREATE DATABASE … TEMPLATE …` (fast, and tests run in parallel) and the database is
//! dropped when the test ends. Without a reachable PostgreSQL the test fails, saying how
//! to start it: tests never skip silently.

use std::path::Path;
use std::sync::OnceLock;

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{sql_query, Connection, QueryableByName, RunQueryDsl};
use rand::Rng;
use sha2::{Digest, Sha256};
use trackly_store::database::quote_identifier;
use trackly_store::migrations::run_pending_migrations;

/// The server the test databases live on (no database name), overridable with
/// `TRACKLY_TEST_DATABASE_URL`.
const DEFAULT_SERVER_URL: &str = "postgres://postgres@127.0.0.1:5432";
/// Appended to every database URL of the tests (these, and the URLs tests build for their
/// own servers and proxies): tests talk to PostgreSQL over loopback without TLS
/// and without GSSAPI encryption. libpq's libraries clean up as the test process exits
/// while background threads (pools, offer-change readers) may still be connecting: with
/// TLS the process crashed in `libcrypto`, with GSSAPI (libpq asks Kerberos for
/// credentials on every connect) in `k5_mutex_lock`, after every test had passed.
pub const CONNECTION_PARAMS: &str = "?sslmode=disable&gssencmode=disable";
/// Serialises template builds across test processes.
const TEMPLATE_LOCK_KEY: i64 = 0x0074_726b_7465_7374;

/// A database that exists for one test and is dropped with this value.
pub struct TestDb {
    name: String,
    url: String,
}

impl TestDb {
    /// A new database with every migration applied.
    pub fn new() -> Self {
        Self::create(Some(template()))
    }

    /// A new database with no tables at all (for migration tests).
    pub fn empty() -> Self {
        Self::create(None)
    }

    /// A name and URL for a database that does not exist yet (for commands that create
    /// their database); it is dropped at the end like the others.
    pub fn reserved() -> Self {
        let name = random_name();
        let url = database_url(&name);
        Self { name, url }
    }

    /// The database's connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A new connection to the database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).unwrap_or_else(|error| {
            panic!("cannot connect to test database {}: {error}", self.name)
        })
    }

    fn create(template: Option<&str>) -> Self {
        let name = random_name();
        let template_clause = template
            .map(|template| format!(" TEMPLATE {}", quote_identifier(template)))
            .unwrap_or_default();
        execute(
            &mut admin(),
            &format!(
                "CREATE DATABASE {}{template_clause}",
                quote_identifier(&name)
            ),
        );
        let url = database_url(&name);
        Self { name, url }
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&admin_url()) {
            let _ = sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_identifier(&self.name)
            ))
            .execute(&mut admin);
        }
    }
}

fn random_name() -> String {
    format!("trackly_test_{:016x}", rand::thread_rng().gen::<u64>())
}

/// The server URL without a database name.
pub fn server_url() -> String {
    std::env::var("TRACKLY_TEST_DATABASE_URL")
        .unwrap_or_else(|_| DEFAULT_SERVER_URL.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// The URL of database `name` on the test server.
fn database_url(name: &str) -> String {
    format!("{}/{name}{CONNECTION_PARAMS}", server_url())
}

fn admin_url() -> String {
    database_url("postgres")
}

fn admin() -> PgConnection {
    PgConnection::establish(&admin_url()).unwrap_or_else(|error| {
        panic!(
            "PostgreSQL is not reachable at {} ({error}); start it with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
             or point TRACKLY_TEST_DATABASE_URL at a server",
            server_url()
        )
    })
}

fn execute(conn: &mut PgConnection, statement: &str) {
    sql_query(statement)
        .execute(conn)
        .unwrap_or_else(|error| panic!("test database setup failed on `{statement}`: {error}"));
}

/// The migrated template for the current `migrations/`, built once per digest.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("trackly_tmpl_{}", migrations_digest());
        let mut admin = admin();
        sql_query("SELECT pg_advisory_lock($1)")
            .bind::<BigInt, _>(TEMPLATE_LOCK_KEY)
            .execute(&mut admin)
            .unwrap_or_else(|error| panic!("cannot lock the test template: {error}"));
        if !database_exists(&mut admin, &name) {
            drop_stale_templates(&mut admin);
            let building = format!("{name}_building");
            execute(
                &mut admin,
                &format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    quote_identifier(&building)
                ),
            );
            execute(
                &mut admin,
                &format!("CREATE DATABASE {}", quote_identifier(&building)),
            );
            {
                let mut conn = PgConnection::establish(&database_url(&building))
                    .unwrap_or_else(|error| panic!("cannot connect to {building}: {error}"));
                run_pending_migrations(&mut conn).unwrap_or_else(|error| {
                    panic!("migrations failed on the test template: {error}")
                });
            }
            execute(
                &mut admin,
                &format!(
                    "ALTER DATABASE {} RENAME TO {}",
                    quote_identifier(&building),
                    quote_identifier(&name)
                ),
            );
        }
        let _ = sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<BigInt, _>(TEMPLATE_LOCK_KEY)
            .execute(&mut admin);
        name
    })
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    datname: String,
}

fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    sql_query("SELECT datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .load::<DatabaseName>(admin)
        .map(|rows| !rows.is_empty())
        .unwrap_or(false)
}

/// Templates of earlier migration sets are no longer needed once they are an hour old:
/// a younger one may still serve a test run of another checkout (a branch with other
/// migrations), which made its name once and creates databases from it until it ends.
fn drop_stale_templates(admin: &mut PgConnection) {
    let stale = sql_query(
        "SELECT datname FROM pg_database \
          WHERE datname LIKE 'trackly\\_tmpl\\_%' \
            AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification \
                < now() - interval '1 hour'",
    )
    .load::<DatabaseName>(admin)
    .unwrap_or_default();
    for database in stale {
        let _ = sql_query(format!(
            "DROP DATABASE IF EXISTS {}",
            quote_identifier(&database.datname)
        ))
        .execute(admin);
    }
}

/// A digest of every file under `migrations/`, so a changed migration gets a new template.
fn migrations_digest() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap_or(&file);
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).unwrap_or_default());
    }
    hex::encode(&hasher.finalize()[..8])
}

fn collect_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}
