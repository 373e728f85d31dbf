//! Accounts and their API keys (SPEC §1.2, §4), as the commands that manage them see
//! them. Keys and postback secrets appear in plain text only in what creates them.

use chrono::{DateTime, Utc};

use crate::ObjectId;

/// A new account, with the only copy of its key and secret in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAccount {
    /// The account id.
    pub account_id: ObjectId,
    /// The account name.
    pub name: String,
    /// Its first key, in plain text (shown once).
    pub api_key: String,
    /// The id of that key.
    pub key_id: ObjectId,
    /// Its postback secret, in plain text (shown once).
    pub postback_secret: String,
}

/// An account as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    /// The account id.
    pub id: ObjectId,
    /// The name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// How many keys it has (revoked ones included).
    pub key_count: u64,
}

/// A new key, with the only copy of it in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedKey {
    /// The key id.
    pub key_id: ObjectId,
    /// The account it belongs to.
    pub account_id: ObjectId,
    /// The key itself (shown once).
    pub api_key: String,
}

/// A key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySummary {
    /// The key id.
    pub id: ObjectId,
    /// Its label.
    pub name: Option<String>,
    /// `trk_` and the first 4 characters.
    pub prefix: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}
