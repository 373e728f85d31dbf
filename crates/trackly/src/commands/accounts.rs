//! `trackly accounts create|list|rotate-secret`.

use serde_json::json;
use trackly_app::{accounts, AppError};
use trackly_domain::time::format_timestamp;
use trackly_domain::ObjectId;

use crate::commands::{block_on, existing_app};
use crate::failure::Failure;

/// Creates an account and prints its key and postback secret (the only time they are shown).
pub fn create(database_url: Option<&str>, name: &str, as_json: bool) -> Result<(), Failure> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(Failure(
            "the account name must be 1 to 255 characters".to_owned(),
        ));
    }
    let app = existing_app(database_url)?;
    let account = block_on(accounts::create(&app, name))?.map_err(Failure::app)?;
    if as_json {
        println!(
            "{}",
            json!({
                "account_id": account.account_id.as_str(),
                "name": account.name,
                "api_key": account.api_key,
                "postback_secret": account.postback_secret,
            })
        );
    } else {
        println!("Account created: {} ({})", account.name, account.account_id);
        println!("API key: {}", account.api_key);
        println!("Postback secret: {}", account.postback_secret);
        println!("Store both now: they are not shown again.");
    }
    Ok(())
}

/// Lists accounts with their key counts.
pub fn list(database_url: Option<&str>, as_json: bool) -> Result<(), Failure> {
    let app = existing_app(database_url)?;
    let accounts = block_on(accounts::list(&app))?.map_err(Failure::app)?;
    if as_json {
        let rows: Vec<_> = accounts
            .iter()
            .map(|account| {
                json!({
                    "account_id": account.id.as_str(),
                    "name": account.name,
                    "created_at": format_timestamp(account.created_at),
                    "key_count": account.key_count,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else {
        println!(
            "{:<24}  {:<20}  {:>4}  NAME",
            "ACCOUNT ID", "CREATED", "KEYS"
        );
        for account in accounts {
            println!(
                "{:<24}  {:<20}  {:>4}  {}",
                account.id,
                format_timestamp(account.created_at),
                account.key_count,
                account.name
            );
        }
    }
    Ok(())
}

/// Replaces an account's postback secret and prints the new one (shown once).
pub fn rotate_secret(
    database_url: Option<&str>,
    account: &str,
    as_json: bool,
) -> Result<(), Failure> {
    let account_id = ObjectId::parse(account).ok_or_else(|| no_account(account))?;
    let app = existing_app(database_url)?;
    let secret =
        block_on(accounts::rotate_secret(&app, &account_id))?.map_err(|error| match error {
            AppError::NotFound => no_account(account),
            other => Failure::app(other),
        })?;
    if as_json {
        println!(
            "{}",
            json!({"account_id": account_id.as_str(), "postback_secret": secret})
        );
    } else {
        println!("Postback secret: {secret}");
        println!("The old secret no longer works. Update your platforms' postback URLs.");
    }
    Ok(())
}

/// The failure for an account id that names no account.
pub fn no_account(account: &str) -> Failure {
    Failure(format!("no account has id {account}"))
}
