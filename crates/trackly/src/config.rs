//! The command line and configuration (SPEC §4): one typed structure, read once at start
//! from flags, the environment and a `.env` file (flags win).

use std::num::NonZeroU32;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The database used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/trackly";

/// Trackly: offer tracking for SMS and affiliate marketers.
#[derive(Debug, Parser)]
#[command(name = "trackly", version, about)]
pub struct Cli {
    /// PostgreSQL connection URL (`serve` and `migrate` default to
    /// postgres://postgres@127.0.0.1:5432/trackly; the other commands need it set).
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The key platform API keys are encrypted with (SPEC §10.1): 64 hexadecimal digits,
    /// e.g. from `openssl rand -hex 32`. `serve` refuses to start without it once a
    /// connection to TUNE or Everflow is stored.
    #[arg(
        long,
        global = true,
        env = "TRACKLY_SECRET_KEY",
        hide_env_values = true
    )]
    pub secret_key: Option<String>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database if missing, migrate, bootstrap the first account, serve HTTP.
    Serve(ServeConfig),
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Manage API keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Sync an account's TUNE and Everflow connections now and print the runs.
    Sync {
        /// The account's id.
        #[arg(long)]
        account: String,
        /// Only this platform's connection.
        #[arg(long, value_parser = ["tune", "everflow"])]
        platform: Option<String>,
        /// Seconds one platform request may take.
        #[arg(long, env = "TRACKLY_PLATFORM_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=300))]
        platform_timeout_seconds: u64,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
}

impl Cli {
    /// `TRACKLY_SECRET_KEY`, read: `Ok(None)` when unset or empty.
    pub fn secret_key(&self) -> Result<Option<trackly_app::SecretKey>, String> {
        match self.secret_key.as_deref().map(str::trim).filter(|key| !key.is_empty()) {
            None => Ok(None),
            Some(text) => trackly_app::SecretKey::from_hex(text).map(Some).ok_or_else(|| {
                "TRACKLY_SECRET_KEY must be 64 hexadecimal digits (32 bytes), such as the output \
                 of `openssl rand -hex 32`"
                    .to_owned()
            }),
        }
    }
}

/// Settings of `trackly serve`.
#[derive(Debug, Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "TRACKLY_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Base URL of tracking links (default: http://<bind>).
    #[arg(long, env = "TRACKLY_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Most database connections held at once (and as many to the read replica).
    #[arg(long, env = "TRACKLY_DB_POOL_SIZE", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,
    /// A PostgreSQL streaming replica of the database for the reads that tolerate lag
    /// (lists, stats, clicks, links, runs, the dashboard's pages). Unset: every read goes
    /// to DATABASE_URL.
    #[arg(long, env = "DATABASE_READ_URL", hide_env_values = true)]
    pub database_read_url: Option<String>,
    /// How far behind the primary, in milliseconds, the read replica may be and still
    /// serve reads; further behind (or unreachable), they go to the primary.
    #[arg(long, env = "TRACKLY_READ_MAX_LAG_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(100..=60_000))]
    pub read_max_lag_ms: u64,
    /// Megabytes of offers and offer lists each node keeps in memory, kept current by
    /// the log of offer changes every node reads (0: read every offer from the database).
    #[arg(long, env = "TRACKLY_OFFER_CACHE_MB", default_value_t = 16, value_parser = clap::value_parser!(u64).range(0..=65_536))]
    pub offer_cache_mb: u64,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "TRACKLY_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you control).
    #[arg(long, env = "TRACKLY_TRUST_PROXY", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub trust_proxy: bool,
    /// A file of CIDR ranges, one a line, whose clicks are bots.
    #[arg(long, env = "TRACKLY_BOT_CIDRS_FILE")]
    pub bot_cidrs_file: Option<PathBuf>,
    /// This node's own directory for the click spool (two nodes need two directories).
    #[arg(long, env = "TRACKLY_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Most bytes of clicks the spool holds while the database is unreachable; past it
    /// new clicks are dropped (counted and logged).
    #[arg(long, env = "TRACKLY_SPOOL_MAX_BYTES", default_value_t = 1 << 30, value_parser = clap::value_parser!(u64).range(4096..))]
    pub spool_max_bytes: u64,
    /// How often the spool is flushed to disk, in milliseconds: what a crash of the
    /// machine (not of the process) can lose.
    #[arg(long, env = "TRACKLY_SPOOL_FSYNC_MS", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub spool_fsync_ms: u64,
    /// Key of the `default` account created when no account exists (trk_ + 32 letters or
    /// digits); a new one is made and printed when unset.
    #[arg(long, env = "TRACKLY_BOOTSTRAP_API_KEY", hide_env_values = true)]
    pub bootstrap_api_key: Option<String>,

    /// Seconds between two looks at which platform syncs are due (offers every 15
    /// minutes, conversions hourly).
    #[arg(long, env = "TRACKLY_SYNC_TICK_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub sync_tick_seconds: u64,

    /// Seconds one request to TUNE or Everflow may take.
    #[arg(long, env = "TRACKLY_PLATFORM_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub platform_timeout_seconds: u64,

    /// Days raw clicks are kept: a month's click partition is dropped whole once all of
    /// it is older (daily stats stay). Unset: clicks are kept.
    #[arg(long, env = "TRACKLY_CLICK_RETENTION_DAYS")]
    pub click_retention_days: Option<NonZeroU32>,
}

impl ServeConfig {
    /// The read replica, when `DATABASE_READ_URL` is set (an empty value counts as
    /// unset, as docker compose passes one for an unset variable).
    pub fn read_replica(&self) -> Option<trackly_app::ReadReplica> {
        let url = self.database_read_url.as_deref().map(str::trim)?;
        (!url.is_empty()).then(|| trackly_app::ReadReplica {
            url: url.to_owned(),
            max_lag: std::time::Duration::from_millis(self.read_max_lag_ms),
        })
    }

    /// The bootstrap key, when one is set (an empty value counts as unset, as
    /// docker compose passes one for an unset variable).
    pub fn bootstrap_api_key(&self) -> Option<&str> {
        self.bootstrap_api_key
            .as_deref()
            .filter(|key| !key.is_empty())
    }

    /// The base of tracking links, without a trailing slash: `TRACKLY_PUBLIC_URL`, which
    /// must be an absolute http(s) URL with a host and nothing after its path, or
    /// `http://<bind>`.
    pub fn public_url(&self) -> Result<String, String> {
        let Some(text) = &self.public_url else {
            return Ok(format!("http://{}", self.bind));
        };
        // The value is not repeated: it may carry credentials.
        let refused = |why: &str| {
            format!(
                "TRACKLY_PUBLIC_URL {why}: give the absolute http(s) address people reach this \
                 service at, such as https://t.example.com"
            )
        };
        let url = url::Url::parse(text).map_err(|_| refused("is not an absolute URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refused("is not an http or https URL"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(refused("has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(refused("has a query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refused("carries credentials"));
        }
        Ok(text.trim_end_matches('/').to_owned())
    }
}

/// `trackly accounts …`
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create an account with one API key and a postback secret; prints them once.
    Create {
        /// The account's name.
        #[arg(long)]
        name: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Replace an account's postback secret; prints the new one once.
    RotateSecret {
        /// The account's id.
        account_id: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List accounts with their key counts.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
}

/// `trackly keys …`
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a new key for an account; prints it once.
    Create {
        /// The account's id.
        #[arg(long)]
        account: String,
        /// A label for the key.
        #[arg(long)]
        name: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List an account's keys (never the keys themselves).
    List {
        /// The account's id.
        #[arg(long)]
        account: String,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key; it stops working within 5 seconds.
    Revoke {
        /// The key's id.
        key_id: String,
    },
}
