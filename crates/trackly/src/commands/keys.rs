//! `trackly keys create|list|revoke`.

use serde_json::json;
use trackly_domain::ObjectId;
use trackly_store::api_keys::{create_key, list_keys, revoke_key};
use trackly_store::StoreError;

use crate::commands::connect_migrated;
use crate::failure::Failure;

/// Creates a key for an account and prints it (the only time it is shown).
pub fn create(
    database_url: &str,
    account: &str,
    name: Option<&str>,
    as_json: bool,
) -> Result<(), Failure> {
    let account_id = ObjectId::parse(account).ok_or_else(|| no_account(account))?;
    let mut conn = connect_migrated(database_url)?;
    let key =
        create_key(&mut conn, &account_id, name, chrono::Utc::now()).map_err(
            |error| match error {
                StoreError::NotFound => no_account(account),
                other => Failure::database(database_url, &other),
            },
        )?;
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
pub fn list(database_url: &str, account: &str, as_json: bool) -> Result<(), Failure> {
    let mut conn = connect_migrated(database_url)?;
    let keys = list_keys(&mut conn, account).map_err(|error| match error {
        StoreError::NotFound => no_account(account),
        other => Failure::database(database_url, &other),
    })?;
    let time =
        |value: Option<chrono::DateTime<chrono::Utc>>| value.map(trackly_api::views::timestamp);
    if as_json {
        let rows: Vec<_> = keys
            .iter()
            .map(|key| {
                json!({
                    "key_id": key.id,
                    "name": key.name,
                    "prefix": key.prefix,
                    "created_at": trackly_api::views::timestamp(key.created_at),
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
                trackly_api::views::timestamp(key.created_at),
                time(key.last_used_at).unwrap_or_else(|| "-".to_owned()),
                time(key.revoked_at).unwrap_or_else(|| "-".to_owned()),
                key.name.unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// Revokes a key.
pub fn revoke(database_url: &str, key_id: &str) -> Result<(), Failure> {
    let mut conn = connect_migrated(database_url)?;
    revoke_key(&mut conn, key_id, chrono::Utc::now()).map_err(|error| match error {
        StoreError::NotFound => Failure(format!("no API key has id {key_id}")),
        other => Failure::database(database_url, &other),
    })?;
    println!("Key {key_id} revoked; it stops working within 5 seconds.");
    Ok(())
}

fn no_account(account: &str) -> Failure {
    Failure(format!("no account has id {account}"))
}
