//! API keys (SPEC §1.2, §4): create, list, revoke, and the lookup behind every request.

use trackly_domain::account::{CreatedKey, KeySummary};
use trackly_domain::ObjectId;
use trackly_store::api_keys::{
    authenticate as authenticate_digest, create_key, list_keys, revoke_key,
};

use crate::{App, AppError};

pub use trackly_store::secrets::digest;

/// Creates a key for `account`, labelled `name`. `NotFound` when there is no such
/// account.
pub async fn create(
    app: &App,
    account: &ObjectId,
    name: Option<&str>,
) -> Result<CreatedKey, AppError> {
    let account = account.clone();
    let name = name.map(str::to_owned);
    let now = app.now();
    app.run(move |conn| Ok(create_key(conn, &account, name.as_deref(), now)?))
        .await
}

/// The account's keys, oldest first. `NotFound` when there is no such account.
pub async fn list(app: &App, account: &ObjectId) -> Result<Vec<KeySummary>, AppError> {
    let account = account.clone();
    app.run(move |conn| Ok(list_keys(conn, &account)?)).await
}

/// Revokes a key; it stops working within the key caches' lifetime. `NotFound` when there
/// is no such key.
pub async fn revoke(app: &App, key: &ObjectId) -> Result<(), AppError> {
    let key = key.clone();
    let now = app.now();
    app.run(move |conn| Ok(revoke_key(conn, &key, now)?)).await
}

/// The account of the live key whose digest (`digest(key)`) is `key_digest`, recording
/// its use; `None` for an unknown or revoked key.
pub async fn authenticate(app: &App, key_digest: [u8; 32]) -> Result<Option<ObjectId>, AppError> {
    let now = app.now();
    app.run(move |conn| Ok(authenticate_digest(conn, &key_digest, now)?))
        .await
}
