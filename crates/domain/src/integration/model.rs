//! A stored connection and its settings: everything but the key, which only the store
//! and the sync ever hold (sealed, then opened for one run).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::message_field::MessageIdField;
use crate::id::ObjectId;
use crate::offer::ExternalPlatform;

/// How a connection reaches its platform and what it syncs (SPEC §10.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationSettings {
    /// TUNE or Everflow.
    pub platform: ExternalPlatform,
    /// The API endpoint; `None` takes the platform's default (TUNE: from `network_id`).
    pub base_url: Option<String>,
    /// TUNE's network id.
    pub network_id: Option<String>,
    /// Our affiliate id on the platform: TUNE uses the network API with it; Everflow
    /// needs it to make tracking links.
    pub affiliate_id: Option<String>,
    /// Whether offers are synced.
    pub sync_offers: bool,
    /// Whether conversions are synced.
    pub sync_conversions: bool,
    /// TUNE's click parameter that carries our click id.
    pub message_id_field: MessageIdField,
    /// The zone TUNE writes conversion times in.
    pub timezone: Tz,
}

/// A connection as stored: its settings, and of its key only the last four characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// The connection's id.
    pub id: ObjectId,
    /// How it reaches the platform.
    pub settings: IntegrationSettings,
    /// `…` and the key's last four characters.
    pub api_key_last4: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
