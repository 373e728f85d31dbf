//! Accounts: creation with their first key and postback secret, listing, bootstrap.

use chrono::{DateTime, Utc};
use diesel::dsl::count;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use trackly_domain::ObjectId;

use trackly_domain::account::{AccountSummary, CreatedAccount, CreatedKey};

use crate::api_keys::insert_key;
use crate::error::StoreError;
use crate::schema::{accounts, api_keys};
use crate::secrets::{digest, new_id, new_postback_secret};

/// Creates an account with one API key (`api_key`, or a new one when `None`) and a new
/// postback secret, in one transaction.
pub fn create_account(
    conn: &mut PgConnection,
    name: &str,
    api_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CreatedAccount, StoreError> {
    conn.transaction(|conn| {
        let account_id = new_id(now);
        let postback_secret = new_postback_secret();
        diesel::insert_into(accounts::table)
            .values((
                accounts::id.eq(account_id.as_str()),
                accounts::name.eq(name),
                accounts::postback_secret_sha256.eq(digest(&postback_secret).to_vec()),
                accounts::created_at.eq(now),
            ))
            .execute(conn)?;
        let CreatedKey {
            key_id, api_key, ..
        } = insert_key(conn, &account_id, Some("default"), api_key, now)?;
        Ok(CreatedAccount {
            account_id,
            name: name.to_owned(),
            api_key,
            key_id,
            postback_secret,
        })
    })
}

/// Every account, oldest first, with its key count.
pub fn list_accounts(conn: &mut PgConnection) -> Result<Vec<AccountSummary>, StoreError> {
    accounts::table
        .left_join(api_keys::table)
        .group_by((accounts::id, accounts::name, accounts::created_at))
        .select((
            accounts::id,
            accounts::name,
            accounts::created_at,
            count(api_keys::id.nullable()),
        ))
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .load::<(String, String, DateTime<Utc>, i64)>(conn)?
        .into_iter()
        .map(|(id, name, created_at, key_count)| {
            Ok(AccountSummary {
                id: ObjectId::parse(&id)
                    .ok_or_else(|| StoreError::Other(format!("account {id} has an invalid id")))?,
                name,
                created_at,
                key_count: u64::try_from(key_count).unwrap_or_default(),
            })
        })
        .collect()
}

/// The advisory-lock key that serialises bootstrap across nodes ("trkboot" in ASCII).
const BOOTSTRAP_LOCK_KEY: i64 = 0x0074_726b_626f_6f74;

/// When no account exists, creates account `default` with one key (`api_key`, or a new
/// one) and returns it; otherwise returns `None`. Safe when several nodes start at once.
pub fn bootstrap(
    conn: &mut PgConnection,
    api_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<CreatedAccount>, StoreError> {
    conn.transaction(|conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(BOOTSTRAP_LOCK_KEY)
            .execute(conn)?;
        let any: bool = diesel::select(diesel::dsl::exists(accounts::table.select(accounts::id)))
            .get_result(conn)?;
        if any {
            return Ok(None);
        }
        create_account(conn, "default", api_key, now).map(Some)
    })
}

/// Replaces the account's postback secret and returns the new one (shown once). The old
/// secret stops working at once on this node and within seconds on others.
pub fn rotate_postback_secret(
    conn: &mut PgConnection,
    account_id: &ObjectId,
) -> Result<String, StoreError> {
    let secret = new_postback_secret();
    let updated = diesel::update(accounts::table.find(account_id.as_str()))
        .set(accounts::postback_secret_sha256.eq(digest(&secret).to_vec()))
        .execute(conn)?;
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(secret)
    }
}

/// The account whose postback secret has this SHA-256 digest.
pub fn account_by_postback_secret(
    conn: &mut PgConnection,
    secret_sha256: &[u8],
) -> Result<Option<ObjectId>, StoreError> {
    let id: Option<String> = accounts::table
        .filter(accounts::postback_secret_sha256.eq(secret_sha256))
        .select(accounts::id)
        .first(conn)
        .optional()?;
    Ok(id.as_deref().and_then(ObjectId::parse))
}
