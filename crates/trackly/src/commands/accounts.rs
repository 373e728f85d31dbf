//! `trackly accounts create|list`.

use serde_json::json;
use trackly_store::accounts::{create_account, list_accounts, rotate_postback_secret};
use trackly_store::StoreError;

use crate::commands::connect_migrated;
use crate::failure::Failure;

/// Creates an account and prints its key and postback secret (the only time they are shown).
pub fn create(database_url: &str, name: &str, as_json: bool) -> Result<(), Failure> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(Failure(
            "the account name must be 1 to 255 characters".to_owned(),
        ));
    }
    let mut conn = connect_migrated(database_url)?;
    let account = create_account(&mut conn, name, None, chrono::Utc::now())
        .map_err(|error| Failure::database(database_url, &error))?;
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
pub fn list(database_url: &str, as_json: bool) -> Result<(), Failure> {
    let mut conn = connect_migrated(database_url)?;
    let accounts =
        list_accounts(&mut conn).map_err(|error| Failure::database(database_url, &error))?;
    if as_json {
        let rows: Vec<_> = accounts
            .iter()
            .map(|account| {
                json!({
                    "account_id": account.id,
                    "name": account.name,
                    "created_at": trackly_api::views::timestamp(account.created_at),
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
                trackly_api::views::timestamp(account.created_at),
                account.key_count,
                account.name
            );
        }
    }
    Ok(())
}

/// Replaces an account's postback secret and prints the new one (shown once).
pub fn rotate_secret(database_url: &str, account_id: &str, as_json: bool) -> Result<(), Failure> {
    let mut conn = connect_migrated(database_url)?;
    let secret = rotate_postback_secret(&mut conn, account_id).map_err(|error| match error {
        StoreError::NotFound => Failure(format!("no account has id {account_id}")),
        other => Failure::database(database_url, &other),
    })?;
    if as_json {
        println!(
            "{}",
            json!({"account_id": account_id, "postback_secret": secret})
        );
    } else {
        println!("Postback secret: {secret}");
        println!("The old secret no longer works. Update your platforms' postback URLs.");
    }
    Ok(())
}
