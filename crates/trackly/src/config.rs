//! The command line and configuration (SPEC §4): one typed structure, read once at start
//! from flags, the environment and a `.env` file (flags win).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The database used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/trackly";

/// Trackly: offer tracking for SMS and affiliate marketers.
#[derive(Debug, Parser)]
#[command(name = "trackly", version, about)]
pub struct Cli {
    /// PostgreSQL connection URL.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,

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
    /// Most database connections held at once.
    #[arg(long, env = "TRACKLY_DB_POOL_SIZE", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "TRACKLY_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you control).
    #[arg(long, env = "TRACKLY_TRUST_PROXY", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub trust_proxy: bool,
    /// A file of CIDR ranges, one a line, whose clicks are bots.
    #[arg(long, env = "TRACKLY_BOT_CIDRS_FILE")]
    pub bot_cidrs_file: Option<PathBuf>,
    /// Most clicks held in memory while the database is unreachable; more are dropped.
    #[arg(long, env = "TRACKLY_CLICK_BUFFER", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub click_buffer: u64,
    /// Key of the `default` account created when no account exists (trk_ + 32 letters or
    /// digits); a new one is made and printed when unset.
    #[arg(long, env = "TRACKLY_BOOTSTRAP_API_KEY", hide_env_values = true)]
    pub bootstrap_api_key: Option<String>,
}

impl ServeConfig {
    /// The bootstrap key, when one is set (an empty value counts as unset, as
    /// docker compose passes one for an unset variable).
    pub fn bootstrap_api_key(&self) -> Option<&str> {
        self.bootstrap_api_key
            .as_deref()
            .filter(|key| !key.is_empty())
    }

    /// The base of tracking links, without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned()
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
