//! Connections to TUNE and Everflow (SPEC §10.1): stored with their key sealed, read
//! back with it for a sync run, one per platform per account.

use chrono::{DateTime, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use trackly_domain::integration::{Integration, IntegrationSettings, MessageIdField};
use trackly_domain::offer::ExternalPlatform;
use trackly_domain::ObjectId;

use crate::error::StoreError;
use crate::schema::integrations;

/// A connection with its sealed key, as a sync run needs it.
#[derive(Debug, Clone)]
pub struct StoredIntegration {
    /// The owning account.
    pub account_id: ObjectId,
    /// The connection.
    pub integration: Integration,
    /// The platform key sealed by [`crate::secrets::SecretKey::seal`] for the connection's id.
    pub api_key_sealed: Vec<u8>,
}

/// A new key to store: sealed for the connection's id, and what answers show of it.
#[derive(Debug, Clone)]
pub struct SealedKey {
    /// Nonce, ciphertext and tag.
    pub sealed: Vec<u8>,
    /// `…` and the key's last four characters.
    pub last4: String,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = integrations, check_for_backend(Pg))]
struct IntegrationRow {
    id: String,
    account_id: String,
    platform: String,
    base_url: Option<String>,
    network_id: Option<String>,
    affiliate_id: Option<String>,
    api_key_sealed: Vec<u8>,
    api_key_last4: String,
    sync_offers: bool,
    sync_conversions: bool,
    message_id_field: String,
    timezone: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<IntegrationRow> for StoredIntegration {
    type Error = StoreError;

    fn try_from(row: IntegrationRow) -> Result<Self, StoreError> {
        let corrupt =
            |what: &str| StoreError::Other(format!("integration {} has an invalid {what}", row.id));
        let settings = IntegrationSettings {
            platform: ExternalPlatform::parse(&row.platform).ok_or_else(|| corrupt("platform"))?,
            base_url: row.base_url,
            network_id: row.network_id,
            affiliate_id: row.affiliate_id,
            sync_offers: row.sync_offers,
            sync_conversions: row.sync_conversions,
            message_id_field: MessageIdField::parse(&row.message_id_field)
                .ok_or_else(|| corrupt("message_id_field"))?,
            timezone: row.timezone.parse().map_err(|_| corrupt("timezone"))?,
        };
        Ok(Self {
            account_id: ObjectId::parse(&row.account_id).ok_or_else(|| corrupt("account"))?,
            integration: Integration {
                id: ObjectId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
                settings,
                api_key_last4: row.api_key_last4,
                created_at: row.created_at,
                updated_at: row.updated_at,
            },
            api_key_sealed: row.api_key_sealed,
        })
    }
}

/// Stores a new connection with the id `id` (its key was sealed for it). `Ok(None)` when
/// the account already has a connection to the platform.
pub fn insert_integration(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    id: &ObjectId,
    settings: &IntegrationSettings,
    key: &SealedKey,
    now: DateTime<Utc>,
) -> Result<Option<Integration>, StoreError> {
    let row: Option<IntegrationRow> = diesel::insert_into(integrations::table)
        .values((
            integrations::id.eq(id.as_str()),
            integrations::account_id.eq(account_id.as_str()),
            integrations::platform.eq(settings.platform.as_str()),
            integrations::api_key_sealed.eq(&key.sealed),
            integrations::api_key_last4.eq(&key.last4),
            integrations::created_at.eq(now),
            settings_columns(settings, now),
        ))
        .on_conflict_do_nothing()
        .returning(IntegrationRow::as_returning())
        .get_result(conn)
        .optional()?;
    row.map(|row| Ok(StoredIntegration::try_from(row)?.integration))
        .transpose()
}

/// The account's connection `id`, with its sealed key.
pub fn find_integration(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    id: &ObjectId,
) -> Result<Option<StoredIntegration>, StoreError> {
    integrations::table
        .filter(integrations::account_id.eq(account_id.as_str()))
        .filter(integrations::id.eq(id.as_str()))
        .select(IntegrationRow::as_select())
        .first(conn)
        .optional()?
        .map(StoredIntegration::try_from)
        .transpose()
}

/// The account's connections, oldest first (there are at most two).
pub fn list_integrations(
    conn: &mut PgConnection,
    account_id: &ObjectId,
) -> Result<Vec<Integration>, StoreError> {
    integrations::table
        .filter(integrations::account_id.eq(account_id.as_str()))
        .order((integrations::created_at.asc(), integrations::id.asc()))
        .select(IntegrationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| Ok(StoredIntegration::try_from(row)?.integration))
        .collect()
}

/// Every connection of every account, for the sync schedule.
pub fn all_integrations(conn: &mut PgConnection) -> Result<Vec<StoredIntegration>, StoreError> {
    integrations::table
        .order(integrations::id.asc())
        .select(IntegrationRow::as_select())
        .load(conn)?
        .into_iter()
        .map(StoredIntegration::try_from)
        .collect()
}

/// How many connections are stored, in every account (`serve` refuses to start without
/// `TRACKLY_SECRET_KEY` when there are any).
pub fn count_integrations(conn: &mut PgConnection) -> Result<u64, StoreError> {
    let count: i64 = integrations::table.count().get_result(conn)?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// Replaces the settings (and the key, when `key` is given) of the account's connection
/// `id`. `Ok(None)` when there is no such connection.
pub fn update_integration(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    id: &ObjectId,
    settings: &IntegrationSettings,
    key: Option<&SealedKey>,
    now: DateTime<Utc>,
) -> Result<Option<Integration>, StoreError> {
    let target = integrations::table
        .filter(integrations::account_id.eq(account_id.as_str()))
        .filter(integrations::id.eq(id.as_str()));
    let row: Option<IntegrationRow> = match key {
        Some(key) => diesel::update(target)
            .set((
                settings_columns(settings, now),
                integrations::api_key_sealed.eq(&key.sealed),
                integrations::api_key_last4.eq(&key.last4),
            ))
            .returning(IntegrationRow::as_returning())
            .get_result(conn)
            .optional()?,
        None => diesel::update(target)
            .set(settings_columns(settings, now))
            .returning(IntegrationRow::as_returning())
            .get_result(conn)
            .optional()?,
    };
    row.map(|row| Ok(StoredIntegration::try_from(row)?.integration))
        .transpose()
}

/// Deletes the account's connection `id` and its runs; its offers and revenue stay.
/// `NotFound` when there is no such connection.
pub fn delete_integration(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    id: &ObjectId,
) -> Result<(), StoreError> {
    let deleted = diesel::delete(
        integrations::table
            .filter(integrations::account_id.eq(account_id.as_str()))
            .filter(integrations::id.eq(id.as_str())),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

type SettingsColumns<'a> = (
    diesel::dsl::Eq<integrations::base_url, Option<&'a str>>,
    diesel::dsl::Eq<integrations::network_id, Option<&'a str>>,
    diesel::dsl::Eq<integrations::affiliate_id, Option<&'a str>>,
    diesel::dsl::Eq<integrations::sync_offers, bool>,
    diesel::dsl::Eq<integrations::sync_conversions, bool>,
    diesel::dsl::Eq<integrations::message_id_field, &'static str>,
    diesel::dsl::Eq<integrations::timezone, &'static str>,
    diesel::dsl::Eq<integrations::updated_at, DateTime<Utc>>,
);

/// The columns that hold `settings` (the platform is fixed at creation).
fn settings_columns(settings: &IntegrationSettings, now: DateTime<Utc>) -> SettingsColumns<'_> {
    (
        integrations::base_url.eq(settings.base_url.as_deref()),
        integrations::network_id.eq(settings.network_id.as_deref()),
        integrations::affiliate_id.eq(settings.affiliate_id.as_deref()),
        integrations::sync_offers.eq(settings.sync_offers),
        integrations::sync_conversions.eq(settings.sync_conversions),
        integrations::message_id_field.eq(settings.message_id_field.as_str()),
        integrations::timezone.eq(settings.timezone.name()),
        integrations::updated_at.eq(now),
    )
}
