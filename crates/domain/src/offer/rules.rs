//! The field rules of SPEC §3.1 and §3.4, as `validator` custom functions. Each returns
//! the SPEC's code for what it found; where create and update differ, there are two.

use validator::ValidationError;

use super::fields::{
    ExternalPlatform, NameProblem, OfferName, OfferStatus, PayoutType, TrackingUrl,
};
use super::metadata::{check_metadata, MetadataRules};
use crate::input::{failure, failure_because, AmountText, MetadataInput, Sent};
use crate::money::Amount;
use crate::text::is_storable;

/// The statuses create accepts, for the error message.
pub(crate) const CREATE_STATUSES: &str = "active, paused";
/// The statuses update accepts, for the error message.
pub(crate) const UPDATE_STATUSES: &str = "active, paused, archived";

/// Create: a name is required (§3.1 checks 1, 3, 4).
pub(crate) fn name_required(name: &Sent<String>) -> Result<(), ValidationError> {
    match name {
        Sent::Absent | Sent::Null => Err(failure("missing_name")),
        Sent::WrongType => Err(failure("invalid_name")),
        Sent::Value(text) => check_name(text, "missing_name"),
    }
}

/// Update: a name, when sent, is a non-empty string (§3.4).
pub(crate) fn name_optional(name: &Sent<String>) -> Result<(), ValidationError> {
    match name {
        Sent::Absent => Ok(()),
        Sent::Null | Sent::WrongType => Err(failure("invalid_name")),
        Sent::Value(text) => check_name(text, "invalid_name"),
    }
}

fn check_name(text: &str, when_empty: &'static str) -> Result<(), ValidationError> {
    match OfferName::parse(text) {
        Ok(_) => Ok(()),
        Err(NameProblem::Empty) => Err(failure(when_empty)),
        Err(NameProblem::TooLong) => Err(failure("name_too_long")),
        Err(NameProblem::Unstorable) => Err(failure("invalid_name")),
    }
}

/// Create: a tracking URL is required (§3.1 checks 2, 5).
pub(crate) fn tracking_url_required(url: &Sent<String>) -> Result<(), ValidationError> {
    match url {
        Sent::Absent | Sent::Null => Err(failure("missing_tracking_url")),
        Sent::Value(text) if text.trim().is_empty() => Err(failure("missing_tracking_url")),
        _ => tracking_url_optional(url),
    }
}

/// Update: a tracking URL, when sent, is valid; `null` is not (§3.4).
pub(crate) fn tracking_url_optional(url: &Sent<String>) -> Result<(), ValidationError> {
    match url {
        Sent::Absent => Ok(()),
        Sent::Value(text) if TrackingUrl::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_tracking_url")),
    }
}

/// `tune`, `everflow` or `null` (§3.1 check 6).
pub(crate) fn external_platform(platform: &Sent<String>) -> Result<(), ValidationError> {
    match platform {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if ExternalPlatform::parse(text).is_some() => Ok(()),
        _ => Err(failure("invalid_external_platform")),
    }
}

/// `cpa` or `cpc` (§3.1 check 7; `null` takes the default on create).
pub(crate) fn payout_type(payout_type: &Sent<String>) -> Result<(), ValidationError> {
    enumeration(
        payout_type,
        |text| PayoutType::parse(text).is_some(),
        "invalid_payout_type",
    )
}

/// Update: like `payout_type`, but `null` is not a payout type.
pub(crate) fn payout_type_update(payout_type: &Sent<String>) -> Result<(), ValidationError> {
    match payout_type {
        Sent::Null => Err(failure("invalid_payout_type")),
        other => self::payout_type(other),
    }
}

/// Create: `active` or `paused` (§3.1 check 8).
pub(crate) fn create_status(status: &Sent<String>) -> Result<(), ValidationError> {
    let allowed = |text: &str| {
        matches!(
            OfferStatus::parse(text),
            Some(OfferStatus::Active | OfferStatus::Paused)
        )
    };
    enumeration(status, allowed, "invalid_status")
        .map_err(|_| failure_because("invalid_status", CREATE_STATUSES))
}

/// Update: `active`, `paused` or `archived` (§3.4).
pub(crate) fn update_status(status: &Sent<String>) -> Result<(), ValidationError> {
    match status {
        Sent::Absent => Ok(()),
        Sent::Value(text) if OfferStatus::parse(text).is_some() => Ok(()),
        _ => Err(failure_because("invalid_status", UPDATE_STATUSES)),
    }
}

/// An amount of SPEC §1.8 (§3.1 check 9).
pub(crate) fn payout(payout: &Sent<AmountText>) -> Result<(), ValidationError> {
    match payout {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(amount) if Amount::from_text(amount).is_some() => Ok(()),
        _ => Err(failure("invalid_payout")),
    }
}

/// Update: like `payout`, but `null` is not a payout.
pub(crate) fn payout_update(payout: &Sent<AmountText>) -> Result<(), ValidationError> {
    match payout {
        Sent::Null => Err(failure("invalid_payout")),
        other => self::payout(other),
    }
}

/// `true` or `false` (§3.1 check 10).
pub(crate) fn filter_bots(filter_bots: &Sent<bool>) -> Result<(), ValidationError> {
    match filter_bots {
        Sent::WrongType => Err(failure("invalid_filter_bots")),
        _ => Ok(()),
    }
}

/// Update: like `filter_bots`, but `null` is not a boolean.
pub(crate) fn filter_bots_update(filter_bots: &Sent<bool>) -> Result<(), ValidationError> {
    match filter_bots {
        Sent::Null | Sent::WrongType => Err(failure("invalid_filter_bots")),
        _ => Ok(()),
    }
}

/// Create: an object of strings within the §2 limits (§3.1 check 11).
pub(crate) fn metadata(metadata: &Sent<MetadataInput>) -> Result<(), ValidationError> {
    metadata_with(metadata, MetadataRules::Create, true)
}

/// Update: an object of strings or `null`s (keys to remove) within the limits (§3.4).
pub(crate) fn metadata_update(metadata: &Sent<MetadataInput>) -> Result<(), ValidationError> {
    metadata_with(metadata, MetadataRules::Merge, false)
}

fn metadata_with(
    metadata: &Sent<MetadataInput>,
    rules: MetadataRules,
    null_is_unset: bool,
) -> Result<(), ValidationError> {
    match metadata {
        Sent::Absent => Ok(()),
        Sent::Null if null_is_unset => Ok(()),
        Sent::Null | Sent::WrongType => Err(failure_because(
            "invalid_metadata",
            "must be an object of strings",
        )),
        Sent::Value(entries) => check_metadata(entries, rules)
            .map_err(|reason| failure_because("invalid_metadata", reason)),
    }
}

/// `external_id`: a string (its length is a rule of its own) or `null` (§3.1 check 12).
pub(crate) fn external_id(id: &Sent<String>) -> Result<(), ValidationError> {
    reference(id, "invalid_external_id")
}

/// `advertiser_id`: a string or `null` (§3.1 check 12).
pub(crate) fn advertiser_id(id: &Sent<String>) -> Result<(), ValidationError> {
    reference(id, "invalid_advertiser_id")
}

fn reference(id: &Sent<String>, code: &'static str) -> Result<(), ValidationError> {
    match id {
        Sent::Value(text) if !is_storable(text) => Err(failure(code)),
        Sent::WrongType => Err(failure(code)),
        _ => Ok(()),
    }
}

/// A sent enumeration value: absent or `null` (the default) or one that `known` accepts.
fn enumeration(
    value: &Sent<String>,
    known: impl Fn(&str) -> bool,
    code: &'static str,
) -> Result<(), ValidationError> {
    match value {
        Sent::Absent | Sent::Null => Ok(()),
        Sent::Value(text) if known(text) => Ok(()),
        _ => Err(failure(code)),
    }
}
