//! The field rules of a connection request (SPEC §10.1), as `validator` functions, each
//! with the code it reports. The rules between fields are beside `IntegrationInput`.

use chrono_tz::Tz;
use validator::ValidationError;

use super::message_field::MessageIdField;
use super::platform_key::PlatformKey;
use crate::input::{failure, Sent, TextOrInteger};
use crate::offer::{ExternalPlatform, TrackingUrl};

/// The longest affiliate id, in digits (a 64-bit number).
pub const AFFILIATE_ID_MAX_DIGITS: usize = 20;

/// `platform`: `tune` or `everflow` (required on create; that rule is the caller's).
pub(super) fn platform(value: &Sent<String>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if ExternalPlatform::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_platform")),
    }
}

/// `api_key`: a key the platform could have issued, when sent.
pub(super) fn api_key(value: &Sent<String>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if text.trim().is_empty() || PlatformKey::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_api_key")),
    }
}

/// `base_url`: an absolute http(s) URL of at most 2048 characters, when sent.
pub(super) fn base_url(value: &Sent<String>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if TrackingUrl::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_base_url")),
    }
}

/// `network_id`: it names a host (`{network_id}.api.hasoffers.com`), so letters, digits
/// and `-`, at most 63.
pub(super) fn network_id(value: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if is_host_label(&text.0) => Ok(()),
        _ => Err(failure("invalid_network_id")),
    }
}

/// `affiliate_id`: both platforms number their affiliates, so 1–20 digits.
pub(super) fn affiliate_id(value: &Sent<TextOrInteger>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if is_platform_id(&text.0) => Ok(()),
        _ => Err(failure("invalid_affiliate_id")),
    }
}

/// `sync_offers`: a boolean, when sent.
pub(super) fn sync_offers(value: &Sent<bool>) -> Result<(), ValidationError> {
    boolean(value, "invalid_sync_offers")
}

/// `sync_conversions`: a boolean, when sent.
pub(super) fn sync_conversions(value: &Sent<bool>) -> Result<(), ValidationError> {
    boolean(value, "invalid_sync_conversions")
}

/// `message_id_field`: one of the TUNE parameters SPEC §10.1 lists.
pub(super) fn message_id_field(value: &Sent<String>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if MessageIdField::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_message_id_field")),
    }
}

/// `timezone`: an IANA zone name (`America/New_York`).
pub(super) fn timezone(value: &Sent<String>) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if text.parse::<Tz>().is_ok() => Ok(()),
        _ => Err(failure("invalid_timezone")),
    }
}

fn boolean(value: &Sent<bool>, code: &'static str) -> Result<(), ValidationError> {
    match value {
        Sent::WrongType => Err(failure(code)),
        _ => Ok(()),
    }
}

fn is_host_label(text: &str) -> bool {
    (1..=63).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

fn is_platform_id(text: &str) -> bool {
    (1..=AFFILIATE_ID_MAX_DIGITS).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}
