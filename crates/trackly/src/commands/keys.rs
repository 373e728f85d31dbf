//! `trackly keys create|list|revoke`.

use serde_json::json;
use trackly_app::{keys, AppError};
use trackly_domain::time::format_timestamp;
use trackly_domain::ObjectId;

use crate::commands::accounts::no_account;
use crate::commands::{block_on, existing_app};
use crate::failure::Failure;

/// Creates a key for an account and prints it (the only time it is shown).
pub fn create(
    database_url: Option<&str>,
    account: &str,
    name: Option<&str>,
    as_json: bool,
) -> Result<(), Failure> {
    let account_id = ObjectId::parse(account).ok_or_else(|| no_account(account))?;
    let app = existing_app(database_url)?;
    let key = block_on(keys::create(&app, &account_id, name))?.map_err(|error| match error {
        AppError::NotFound => no_account(account),
        other => Failure::app(other),
    })?;
    if as_json {
        println!(
            "{}",
            json!({"key_id": key.key_id.as_str(), "account_id": key.account_id.as_str(), "api_key": key.api_key})
        );
    } else {
        println!("Key created: {} for account {}", key.key_id, key.account_id);
        println!("API key: {}", key.api_key);
        println!("Store it now: it is not shown again.");
    }
    Ok(())
}

/// Lists an account's keys: id, name, prefix, created, last used, revoked.
pub fn list(database_url: Option<&str>, account: &str, as_json: bool) -> Result<(), Failure> {
    let account_id = ObjectId::parse(account).ok_or_else(|| no_account(account))?;
    let app = existing_app(database_url)?;
    let keys = block_on(keys::list(&app, &account_id))?.map_err(|error| match error {
        AppError::NotFound => no_account(account),
        other => Failure::app(other),
    })?;
    let time = |value: Option<chrono::DateTime<chrono::Utc>>| value.map(format_timestamp);
    if as_json {
        let rows: Vec<_> = keys
            .iter()
            .map(|key| {
                json!({
                    "key_id": key.id.as_str(),
                    "name": key.name,
                    "prefix": key.prefix,
                    "created_at": format_timestamp(key.created_at),
                    "last_used_at": time(key.last_used_at),
                    "revoked_at": time(key.revoked_at),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else {
        println!(
            "{:<24}  {:<8}  {:<20}  {:<20}  {:<20}  NAME",
            "KEY ID", "PREFIX", "CREATED", "LAST USED", "REVOKED"
        );
        for key in keys {
            println!(
                "{:<24}  {:<8}  {:<20}  {:<20}  {:<20}  {}",
                key.id,
                key.prefix,
                format_timestamp(key.created_at),
                time(key.last_used_at).unwrap_or_else(|| "-".to_owned()),
                time(key.revoked_at).unwrap_or_else(|| "-".to_owned()),
                key.name.unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// Revokes a key.
pub fn revoke(database_url: Option<&str>, key: &str) -> Result<(), Failure> {
    let no_key = || Failure(format!("no API key has id {key}"));
    let key_id = ObjectId::parse(key).ok_or_else(no_key)?;
    let app = existing_app(database_url)?;
    block_on(keys::revoke(&app, &key_id))?.map_err(|error| match error {
        AppError::NotFound => no_key(),
        other => Failure::app(other),
    })?;
    println!("Key {key} revoked; it stops working within 5 seconds.");
    Ok(())
}
