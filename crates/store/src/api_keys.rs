//! API keys: create, list, revoke, and the lookup every API request makes.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bytea, Text, Timestamptz};
use trackly_domain::account::{CreatedKey, KeySummary};
use trackly_domain::api_key::display_prefix;
use trackly_domain::ObjectId;

use crate::error::StoreError;
use crate::schema::{accounts, api_key_digests, api_keys};
use crate::secrets::{digest, new_api_key, new_id};

/// Creates a key for an existing account. `NotFound` when the account does not exist.
pub fn create_key(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CreatedKey, StoreError> {
    conn.transaction(|conn| {
        if !account_exists(conn, account_id.as_str())? {
            return Err(StoreError::NotFound);
        }
        insert_key(conn, account_id, name, None, now)
    })
}

/// Inserts a key (`api_key`, or a new one) for `account_id`, with its digest in the
/// service-wide directory of keys. Runs in the caller's transaction.
pub(crate) fn insert_key(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    name: Option<&str>,
    api_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CreatedKey, StoreError> {
    let api_key = api_key.map_or_else(new_api_key, str::to_owned);
    let key_id = new_id(now);
    let listed = diesel::insert_into(api_key_digests::table)
        .values((
            api_key_digests::key_sha256.eq(digest(&api_key).to_vec()),
            api_key_digests::account_id.eq(account_id.as_str()),
            api_key_digests::key_id.eq(key_id.as_str()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if listed == 0 {
        return Err(StoreError::Conflict(
            "that API key is already in use".to_owned(),
        ));
    }
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(key_id.as_str()),
            api_keys::account_id.eq(account_id.as_str()),
            api_keys::name.eq(name),
            api_keys::prefix.eq(display_prefix(&api_key)),
            api_keys::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(CreatedKey {
        key_id,
        account_id: account_id.clone(),
        api_key,
    })
}

/// The keys of an account, oldest first. `NotFound` when the account does not exist.
pub fn list_keys(
    conn: &mut PgConnection,
    account_id: &ObjectId,
) -> Result<Vec<KeySummary>, StoreError> {
    if !account_exists(conn, account_id.as_str())? {
        return Err(StoreError::NotFound);
    }
    api_keys::table
        .filter(api_keys::account_id.eq(account_id.as_str()))
        .select((
            api_keys::id,
            api_keys::name,
            api_keys::prefix,
            api_keys::created_at,
            api_keys::last_used_at,
            api_keys::revoked_at,
        ))
        .order((api_keys::created_at.asc(), api_keys::id.asc()))
        .load::<KeyRow>(conn)?
        .into_iter()
        .map(|(id, name, prefix, created_at, last_used_at, revoked_at)| {
            Ok(KeySummary {
                id: ObjectId::parse(&id)
                    .ok_or_else(|| StoreError::Other(format!("key {id} has an invalid id")))?,
                name,
                prefix,
                created_at,
                last_used_at,
                revoked_at,
            })
        })
        .collect()
}

/// A key as listed: id, name, prefix and its times.
type KeyRow = (
    String,
    Option<String>,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// Revokes a key (revoking twice keeps the first time). `NotFound` when no such key.
pub fn revoke_key(
    conn: &mut PgConnection,
    key_id: &ObjectId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let key_id = key_id.as_str();
    let revoked_now = diesel::update(
        api_keys::table
            .filter(api_keys::id.eq(key_id))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(now))
    .execute(conn)?;
    let exists = revoked_now > 0
        || diesel::select(diesel::dsl::exists(
            api_keys::table.filter(api_keys::id.eq(key_id)),
        ))
        .get_result(conn)?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The account of the live key with this SHA-256 digest, recording the use. `None` for
/// an unknown or revoked key. One round trip.
pub fn authenticate(
    conn: &mut PgConnection,
    key_sha256: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<ObjectId>, StoreError> {
    let key = use_live_key(conn, key_sha256, now)?;
    Ok(key
        .as_ref()
        .and_then(|key| ObjectId::parse(&key.account_id)))
}

/// A live key found by its digest.
#[derive(QueryableByName)]
pub(crate) struct LiveKey {
    /// The key's id.
    #[diesel(sql_type = Text)]
    pub(crate) id: String,
    /// Its account.
    #[diesel(sql_type = Text)]
    pub(crate) account_id: String,
}

/// The live key whose digest is `key_sha256`, its use recorded at `now`: found through
/// the directory of digests, then by its account. `None` for an unknown or revoked key.
pub(crate) fn use_live_key(
    conn: &mut PgConnection,
    key_sha256: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<LiveKey>, StoreError> {
    Ok(diesel::sql_query(
        "UPDATE api_keys k SET last_used_at = $2 \
           FROM api_key_digests d \
          WHERE d.key_sha256 = $1 AND k.account_id = d.account_id AND k.id = d.key_id \
            AND k.revoked_at IS NULL \
         RETURNING k.id, k.account_id",
    )
    .bind::<Bytea, _>(key_sha256)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?)
}

/// True when the account exists.
fn account_exists(conn: &mut PgConnection, account_id: &str) -> Result<bool, StoreError> {
    diesel::select(diesel::dsl::exists(accounts::table.find(account_id)))
        .get_result(conn)
        .map_err(StoreError::from)
}
