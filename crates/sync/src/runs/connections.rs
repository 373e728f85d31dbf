//! Making and changing a connection (SPEC §10.1): the platform checks the key before it
//! is stored.

use trackly_app::integrations::{self, OpenedIntegration};
use trackly_app::{App, AppError};
use trackly_domain::integration::{
    Integration, IntegrationChange, IntegrationInput, IntegrationSettings, NewIntegration,
    PlatformKey,
};
use trackly_domain::ObjectId;

use crate::client::PlatformClient;
use crate::error::PlatformError;
use crate::options::ClientOptions;
use crate::settings::{ApiKey, ConnectionSettings};

/// Checks the key with the platform, then stores the connection for `account`.
pub async fn connect(
    app: &App,
    account: &ObjectId,
    new: NewIntegration,
    options: &ClientOptions,
) -> Result<Integration, AppError> {
    integrations::ensure_keys_can_be_stored(app)?;
    check_key(&new.settings, &new.api_key, options).await?;
    integrations::create(app, account, new).await
}

/// Changes the account's connection `id`: what was not sent is kept; a new key, or a
/// new endpoint or affiliate, is checked with the platform before it is stored.
pub async fn change(
    app: &App,
    account: &ObjectId,
    id: &ObjectId,
    input: IntegrationInput,
    options: &ClientOptions,
) -> Result<Integration, AppError> {
    integrations::ensure_keys_can_be_stored(app)?;
    let current = integrations::get(app, account, id).await?;
    let change = IntegrationChange::new(input, &current.settings)?;
    let moved = |s: &IntegrationSettings| {
        (&s.base_url, &s.network_id, &s.affiliate_id)
            != (
                &current.settings.base_url,
                &current.settings.network_id,
                &current.settings.affiliate_id,
            )
    };
    if change.api_key.is_some() || moved(&change.settings) {
        let key = match &change.api_key {
            Some(key) => key.clone(),
            None => integrations::opened(app, account, id).await?.api_key,
        };
        check_key(&change.settings, &key, options).await?;
    }
    integrations::update(app, account, id, change).await
}

/// A client for a stored connection.
pub(super) fn client_for(
    opened: &OpenedIntegration,
    options: &ClientOptions,
) -> Result<PlatformClient, PlatformError> {
    client(&opened.integration.settings, &opened.api_key, options)
}

fn client(
    settings: &IntegrationSettings,
    key: &PlatformKey,
    options: &ClientOptions,
) -> Result<PlatformClient, PlatformError> {
    let connection = ConnectionSettings {
        base_url: settings.base_url.clone(),
        api_key: ApiKey::new(key.expose()),
        network_id: settings.network_id.clone(),
        affiliate_id: settings.affiliate_id.clone(),
        message_id_field: settings.message_id_field,
        timezone: settings.timezone,
    };
    PlatformClient::new(settings.platform, connection, options.clone())
}

async fn check_key(
    settings: &IntegrationSettings,
    key: &PlatformKey,
    options: &ClientOptions,
) -> Result<(), AppError> {
    let client = client(settings, key, options).map_err(refusal)?;
    client.check_key().await.map_err(refusal)
}

/// What a platform's answer to a key check means to the caller.
fn refusal(error: PlatformError) -> AppError {
    match error {
        PlatformError::RejectedKey(message) | PlatformError::Refused(message) => {
            AppError::PlatformRejectedKey(message)
        }
        other => AppError::PlatformUnreachable(other.to_string()),
    }
}
