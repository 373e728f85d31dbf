//! The `trackly` command (SPEC §4).

mod commands;
mod config;
mod failure;

use std::process::ExitCode;

use clap::Parser;

use crate::config::{AccountsCommand, Cli, Command, KeysCommand};

/// mimalloc: fewer cycles per allocation than the system allocator on the request path
/// (measured in docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A missing .env file is normal; its values never override the real environment.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Stderr)
        .init();
    let url = cli.database_url.as_str();
    let result = match &cli.command {
        Command::Serve(config) => commands::serve::run(url, config),
        Command::Migrate => commands::migrate::run(url),
        Command::Accounts(AccountsCommand::Create { name, json }) => {
            commands::accounts::create(url, name, *json)
        }
        Command::Accounts(AccountsCommand::List { json }) => commands::accounts::list(url, *json),
        Command::Accounts(AccountsCommand::RotateSecret { account_id, json }) => {
            commands::accounts::rotate_secret(url, account_id, *json)
        }
        Command::Keys(KeysCommand::Create {
            account,
            name,
            json,
        }) => commands::keys::create(url, account, name.as_deref(), *json),
        Command::Keys(KeysCommand::List { account, json }) => {
            commands::keys::list(url, account, *json)
        }
        Command::Keys(KeysCommand::Revoke { key_id }) => commands::keys::revoke(url, key_id),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("trackly: {failure}");
            ExitCode::FAILURE
        }
    }
}
