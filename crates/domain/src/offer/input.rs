//! Reading offer requests (SPEC §3.1 create, §3.4 update) from a JSON object, running
//! the checks in the SPEC's order so that the first rule broken is the one reported.

use serde_json::{Map, Value};

use super::fields::{
    is_valid_external_ref, ExternalPlatform, NameProblem, OfferName, OfferStatus, PayoutType,
    TrackingUrl,
};
use super::metadata::{Metadata, MetadataPatch};
use crate::error::InputError;
use crate::money::Amount;

/// A valid create request: every field checked, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    /// The name.
    pub name: OfferName,
    /// The destination URL.
    pub tracking_url: TrackingUrl,
    /// The affiliate platform.
    pub external_platform: Option<ExternalPlatform>,
    /// The offer's id on the platform.
    pub external_id: Option<String>,
    /// The advertiser's id.
    pub advertiser_id: Option<String>,
    /// The payout (default 0).
    pub payout: Amount,
    /// The payout type (default `cpa`).
    pub payout_type: PayoutType,
    /// Whether to leave bots out of the stats (default `false`).
    pub filter_bots: bool,
    /// `active` (default) or `paused`.
    pub status: OfferStatus,
    /// Labels (default empty).
    pub metadata: Metadata,
}

/// A change to a nullable field: leave it, or set it (to a value or to null).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Change<T> {
    /// Not sent: keep the stored value.
    #[default]
    Keep,
    /// Sent: store this (`None` clears).
    Set(Option<T>),
}

/// A valid update request: only the fields that were sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfferPatch {
    /// A new name.
    pub name: Option<OfferName>,
    /// A new destination URL.
    pub tracking_url: Option<TrackingUrl>,
    /// A new platform, or null.
    pub external_platform: Change<ExternalPlatform>,
    /// A new platform id, or null.
    pub external_id: Change<String>,
    /// A new advertiser id, or null.
    pub advertiser_id: Change<String>,
    /// A new payout.
    pub payout: Option<Amount>,
    /// A new payout type.
    pub payout_type: Option<PayoutType>,
    /// A new bot-filter setting.
    pub filter_bots: Option<bool>,
    /// A new status, `archived` included.
    pub status: Option<OfferStatus>,
    /// Metadata keys to merge in or remove.
    pub metadata: Option<MetadataPatch>,
}

/// The statuses create accepts, for the error message.
const CREATE_STATUSES: &str = "active, paused";
/// The statuses update accepts, for the error message.
const UPDATE_STATUSES: &str = "active, paused, archived";

impl NewOffer {
    /// Checks a create body in the order of SPEC §3.1. `null` on an optional field
    /// means "not sent" and takes the default.
    pub fn from_json(body: &Map<String, Value>) -> Result<Self, InputError> {
        let name = present(body, "name");
        let tracking_url = present(body, "tracking_url");
        if name.is_none_or(|value| value.as_str().is_some_and(|text| text.trim().is_empty())) {
            return Err(InputError::MissingName);
        }
        if tracking_url
            .is_none_or(|value| value.as_str().is_some_and(|text| text.trim().is_empty()))
        {
            return Err(InputError::MissingTrackingUrl);
        }
        let name = parse_name(name.unwrap_or(&Value::Null), InputError::MissingName)?;
        let tracking_url = parse_tracking_url(tracking_url.unwrap_or(&Value::Null))?;
        let external_platform = match present(body, "external_platform") {
            Some(value) => parse_platform(value)?,
            None => None,
        };
        let payout_type = present(body, "payout_type")
            .map(parse_payout_type)
            .transpose()?
            .unwrap_or(PayoutType::Cpa);
        let status = present(body, "status")
            .map(|value| {
                parse_status(
                    value,
                    &[OfferStatus::Active, OfferStatus::Paused],
                    CREATE_STATUSES,
                )
            })
            .transpose()?
            .unwrap_or(OfferStatus::Active);
        let payout = present(body, "payout")
            .map(parse_payout)
            .transpose()?
            .unwrap_or(Amount::ZERO);
        let filter_bots = present(body, "filter_bots")
            .map(parse_filter_bots)
            .transpose()?
            .unwrap_or(false);
        let metadata = present(body, "metadata")
            .map(Metadata::from_json)
            .transpose()?
            .unwrap_or_default();
        let external_id =
            parse_external_ref(body.get("external_id"), InputError::InvalidExternalId)?;
        let advertiser_id =
            parse_external_ref(body.get("advertiser_id"), InputError::InvalidAdvertiserId)?;
        Ok(Self {
            name,
            tracking_url,
            external_platform,
            external_id: external_id.into_value(),
            advertiser_id: advertiser_id.into_value(),
            payout,
            payout_type,
            filter_bots,
            status,
            metadata,
        })
    }
}

impl OfferPatch {
    /// Checks an update body in the order of SPEC §3.1, with the differences of §3.4:
    /// nothing is required, a sent `name` must be a non-empty string, `tracking_url: null`
    /// is invalid, `archived` is a valid status and the external references accept `null`.
    pub fn from_json(body: &Map<String, Value>) -> Result<Self, InputError> {
        let name = body
            .get("name")
            .map(|value| parse_name(value, InputError::InvalidName))
            .transpose()?;
        let tracking_url = body
            .get("tracking_url")
            .map(parse_tracking_url)
            .transpose()?;
        let external_platform = match body.get("external_platform") {
            Some(value) => Change::Set(parse_platform(value)?),
            None => Change::Keep,
        };
        let payout_type = body.get("payout_type").map(parse_payout_type).transpose()?;
        let status = body
            .get("status")
            .map(|value| parse_status(value, OfferStatus::ALL, UPDATE_STATUSES))
            .transpose()?;
        let payout = body.get("payout").map(parse_payout).transpose()?;
        let filter_bots = body.get("filter_bots").map(parse_filter_bots).transpose()?;
        let metadata = body
            .get("metadata")
            .map(MetadataPatch::from_json)
            .transpose()?;
        let external_id =
            parse_external_ref(body.get("external_id"), InputError::InvalidExternalId)?;
        let advertiser_id =
            parse_external_ref(body.get("advertiser_id"), InputError::InvalidAdvertiserId)?;
        Ok(Self {
            name,
            tracking_url,
            external_platform,
            external_id,
            advertiser_id,
            payout,
            payout_type,
            filter_bots,
            status,
            metadata,
        })
    }
}

impl<T> Change<T> {
    fn into_value(self) -> Option<T> {
        match self {
            Change::Keep => None,
            Change::Set(value) => value,
        }
    }
}

/// The field's value unless it is absent or `null`.
fn present<'a>(body: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    body.get(field).filter(|value| !value.is_null())
}

fn parse_name(value: &Value, when_empty: InputError) -> Result<OfferName, InputError> {
    let text = value.as_str().ok_or(InputError::InvalidName)?;
    OfferName::parse(text).map_err(|problem| match problem {
        NameProblem::Empty => when_empty,
        NameProblem::TooLong => InputError::NameTooLong,
        NameProblem::Unstorable => InputError::InvalidName,
    })
}

fn parse_tracking_url(value: &Value) -> Result<TrackingUrl, InputError> {
    value
        .as_str()
        .and_then(TrackingUrl::parse)
        .ok_or(InputError::InvalidTrackingUrl)
}

fn parse_platform(value: &Value) -> Result<Option<ExternalPlatform>, InputError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => ExternalPlatform::parse(text)
            .map(Some)
            .ok_or(InputError::InvalidExternalPlatform),
        _ => Err(InputError::InvalidExternalPlatform),
    }
}

fn parse_payout_type(value: &Value) -> Result<PayoutType, InputError> {
    value
        .as_str()
        .and_then(PayoutType::parse)
        .ok_or(InputError::InvalidPayoutType)
}

fn parse_status(
    value: &Value,
    allowed: &[OfferStatus],
    allowed_text: &'static str,
) -> Result<OfferStatus, InputError> {
    value
        .as_str()
        .and_then(OfferStatus::parse)
        .filter(|status| allowed.contains(status))
        .ok_or(InputError::InvalidStatus {
            allowed: allowed_text,
        })
}

fn parse_payout(value: &Value) -> Result<Amount, InputError> {
    Amount::from_json(value).ok_or(InputError::InvalidPayout)
}

fn parse_filter_bots(value: &Value) -> Result<bool, InputError> {
    value.as_bool().ok_or(InputError::InvalidFilterBots)
}

fn parse_external_ref(
    value: Option<&Value>,
    error: InputError,
) -> Result<Change<String>, InputError> {
    match value {
        None => Ok(Change::Keep),
        Some(Value::Null) => Ok(Change::Set(None)),
        Some(Value::String(text)) if is_valid_external_ref(text) => {
            Ok(Change::Set(Some(text.clone())))
        }
        Some(_) => Err(error),
    }
}
