//! Connections to TUNE and Everflow (SPEC §10.1): store one with its key sealed, read,
//! list, change, delete, and list its runs. Checking a key with the platform is the sync
//! crate's, which calls these once the platform said yes.

use trackly_domain::integration::{
    Integration, IntegrationChange, NewIntegration, PlatformKey, SyncRun,
};
use trackly_domain::query::Page;
use trackly_domain::ObjectId;
use trackly_store::integrations::{
    all_integrations, count_integrations, delete_integration, find_integration, insert_integration,
    list_integrations, update_integration, SealedKey, StoredIntegration,
};
use trackly_store::secrets::{new_id, SecretKey};
use trackly_store::sync_runs::list_runs;

use crate::{App, AppError, Paged};

/// A connection with its key opened, for one call to the platform.
#[derive(Debug, Clone)]
pub struct OpenedIntegration {
    /// The owning account.
    pub account_id: ObjectId,
    /// The connection.
    pub integration: Integration,
    /// Its platform key.
    pub api_key: PlatformKey,
}

/// `SecretKeyMissing` when this server cannot seal platform keys: asked before a key is
/// sent to a platform, so nothing is checked that could not be stored.
pub fn ensure_keys_can_be_stored(app: &App) -> Result<(), AppError> {
    app.secret_key().map(|_| ())
}

/// Stores a new connection for `account`, its key sealed. `IntegrationExists` when the
/// account has one to that platform already.
pub async fn create(
    app: &App,
    account: &ObjectId,
    new: NewIntegration,
) -> Result<Integration, AppError> {
    let secret = app.secret_key()?.clone();
    let account = account.clone();
    let now = app.now();
    app.run(move |conn| {
        let id = new_id(now);
        let key = seal(&secret, &id, &new.api_key);
        insert_integration(conn, &account, &id, &new.settings, &key, now)?
            .ok_or(AppError::IntegrationExists)
    })
    .await
}

/// The account's connection `id`.
pub async fn get(app: &App, account: &ObjectId, id: &ObjectId) -> Result<Integration, AppError> {
    Ok(stored(app, account, id).await?.integration)
}

/// The account's connection `id` with its key opened, for a call to the platform.
pub async fn opened(
    app: &App,
    account: &ObjectId,
    id: &ObjectId,
) -> Result<OpenedIntegration, AppError> {
    let stored = stored(app, account, id).await?;
    open(app.secret_key()?, stored)
}

/// The account's connections, oldest first. Read on the replica when there is one
/// (SPEC §14).
pub async fn list(app: &App, account: &ObjectId) -> Result<Vec<Integration>, AppError> {
    let account = account.clone();
    app.run_read(move |conn| Ok(list_integrations(conn, &account)?))
        .await
}

/// Every stored connection with its key opened, for the sync schedule; a connection
/// whose key does not open is an error of its own, so it does not stop the others.
pub async fn all_opened(app: &App) -> Result<Vec<Result<OpenedIntegration, AppError>>, AppError> {
    let secret = app.secret_key()?.clone();
    let stored = app.run(|conn| Ok(all_integrations(conn)?)).await?;
    Ok(stored
        .into_iter()
        .map(|stored| open(&secret, stored))
        .collect())
}

/// How many connections are stored in every account (`serve` needs a secret key when
/// there are any).
pub async fn count_all(app: &App) -> Result<u64, AppError> {
    app.run(|conn| Ok(count_integrations(conn)?)).await
}

/// Applies a checked change to the account's connection `id`.
pub async fn update(
    app: &App,
    account: &ObjectId,
    id: &ObjectId,
    change: IntegrationChange,
) -> Result<Integration, AppError> {
    let sealed = match &change.api_key {
        Some(key) => Some(seal(app.secret_key()?, id, key)),
        None => None,
    };
    let account = account.clone();
    let id = id.clone();
    let now = app.now();
    app.run(move |conn| {
        update_integration(conn, &account, &id, &change.settings, sealed.as_ref(), now)?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Deletes the account's connection `id` and its runs. The offers and revenue it
/// brought stay.
pub async fn delete(app: &App, account: &ObjectId, id: &ObjectId) -> Result<(), AppError> {
    let account = account.clone();
    let id = id.clone();
    app.run(move |conn| Ok(delete_integration(conn, &account, &id)?))
        .await
}

/// One page of the connection's runs, newest first (SPEC §10.4). Read on the replica
/// when there is one (SPEC §14).
pub async fn runs(
    app: &App,
    account: &ObjectId,
    id: &ObjectId,
    page: Page,
) -> Result<Paged<SyncRun>, AppError> {
    let account = account.clone();
    let id = id.clone();
    let (items, total) = app
        .run_read(move |conn| Ok(list_runs(conn, &account, &id, page)?))
        .await?;
    Ok(Paged::new(items, page, total))
}

async fn stored(
    app: &App,
    account: &ObjectId,
    id: &ObjectId,
) -> Result<StoredIntegration, AppError> {
    let account = account.clone();
    let id = id.clone();
    app.run(move |conn| find_integration(conn, &account, &id)?.ok_or(AppError::NotFound))
        .await
}

fn seal(secret: &SecretKey, id: &ObjectId, key: &PlatformKey) -> SealedKey {
    SealedKey {
        sealed: secret.seal(id.as_str(), key.expose()),
        last4: key.last4(),
    }
}

fn open(secret: &SecretKey, stored: StoredIntegration) -> Result<OpenedIntegration, AppError> {
    let id = stored.integration.id.as_str();
    let api_key = secret
        .open(id, &stored.api_key_sealed)
        .and_then(|text| PlatformKey::parse(&text))
        .ok_or_else(|| {
            AppError::Internal(format!(
                "the platform key of integration {id} does not open with TRACKLY_SECRET_KEY \
                 (was the key changed?)"
            ))
        })?;
    Ok(OpenedIntegration {
        account_id: stored.account_id,
        integration: stored.integration,
        api_key,
    })
}
