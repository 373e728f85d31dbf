//! The `trackly` command (SPEC §4).

mod allocator;
mod commands;
mod config;
mod failure;
mod logging;

use std::process::ExitCode;

use clap::Parser;

use crate::config::{AccountsCommand, Cli, Command, KeysCommand, DEFAULT_DATABASE_URL};

fn main() -> ExitCode {
    // A missing .env file is normal; its values never override the real environment.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    logging::init();
    let url = cli.database_url.as_deref();
    let url_or_default = url.unwrap_or(DEFAULT_DATABASE_URL);
    let secret_key = match cli.secret_key() {
        Ok(key) => key,
        Err(message) => {
            eprintln!("trackly: {message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match &cli.command {
        Command::Serve(config) => {
            allocator::limit_malloc_arenas();
            commands::serve::run(url_or_default, config, secret_key)
        }
        Command::Migrate => commands::migrate::run(url_or_default),
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
        Command::Sync {
            account,
            platform,
            platform_timeout_seconds,
            json,
        } => commands::sync::run(
            url,
            secret_key,
            account,
            platform.as_deref(),
            *platform_timeout_seconds,
            *json,
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("trackly: {failure}");
            ExitCode::FAILURE
        }
    }
}
