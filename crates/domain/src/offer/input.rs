//! Offer requests (SPEC §3.1 create, §3.4 update): the input as sent, its rules declared
//! with `validator`, and the valid requests built from it. When several rules are broken,
//! the first in the SPEC's check order is the one reported.

use serde::Deserialize;
use validator::Validate;

use super::fields::{
    ExternalPlatform, OfferName, OfferStatus, PayoutType, TrackingUrl, EXTERNAL_REF_MAX_CHARS,
};
use super::metadata::{Metadata, MetadataPatch};
use super::rules;
use crate::error::InputError;
use crate::input::{all_errors, first_error, AmountText, MetadataInput, Sent};
use crate::money::Amount;

/// The codes of SPEC §3.1, in its check order.
const CHECK_ORDER: [&str; 13] = [
    "missing_name",
    "missing_tracking_url",
    "invalid_name",
    "name_too_long",
    "invalid_tracking_url",
    "invalid_external_platform",
    "invalid_payout_type",
    "invalid_status",
    "invalid_payout",
    "invalid_filter_bots",
    "invalid_metadata",
    "invalid_external_id",
    "invalid_advertiser_id",
];

/// The longest external reference, for the length rules.
const REF_MAX: u64 = EXTERNAL_REF_MAX_CHARS as u64;

/// A create request as sent (SPEC §3.1). `null` on an optional field means "not sent"
/// and takes the default. It reads a JSON body leniently (a field of the wrong type is
/// kept as such, for its rule to report), and unknown fields are ignored.
///
/// ```
/// use trackly_domain::offer::OfferInput;
/// use trackly_domain::NewOffer;
///
/// let input = OfferInput {
///     name: "Summer Promo".into(),
///     tracking_url: "https://advertiser.com/track?click={click_id}".into(),
///     ..OfferInput::default()
/// };
/// let offer = NewOffer::try_from(input).expect("a valid offer");
/// assert_eq!(offer.name.as_str(), "Summer Promo");
///
/// let nameless = OfferInput { tracking_url: "https://a.example".into(), ..OfferInput::default() };
/// let error = NewOffer::try_from(nameless).unwrap_err();
/// assert_eq!(error.code(), "missing_name");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Validate, Deserialize)]
#[serde(default)]
pub struct OfferInput {
    /// Required; 1–255 characters once trimmed.
    #[validate(custom(function = "rules::name_required"))]
    pub name: Sent<String>,
    /// Required; an absolute http(s) URL with a host, at most 2048 characters.
    #[validate(custom(function = "rules::tracking_url_required"))]
    pub tracking_url: Sent<String>,
    /// `tune`, `everflow` or `null`.
    #[validate(custom(function = "rules::external_platform"))]
    pub external_platform: Sent<String>,
    /// At most 255 characters, or `null`.
    #[validate(
        length(max = REF_MAX, code = "invalid_external_id"),
        custom(function = "rules::external_id")
    )]
    pub external_id: Sent<String>,
    /// At most 255 characters, or `null`.
    #[validate(
        length(max = REF_MAX, code = "invalid_advertiser_id"),
        custom(function = "rules::advertiser_id")
    )]
    pub advertiser_id: Sent<String>,
    /// An amount (SPEC §1.8); default 0.
    #[validate(custom(function = "rules::payout"))]
    pub payout: Sent<AmountText>,
    /// `cpa` or `cpc`; default `cpa`.
    #[validate(custom(function = "rules::payout_type"))]
    pub payout_type: Sent<String>,
    /// Default `false`.
    #[validate(custom(function = "rules::filter_bots"))]
    pub filter_bots: Sent<bool>,
    /// `active` or `paused`; default `active`.
    #[validate(custom(function = "rules::create_status"))]
    pub status: Sent<String>,
    /// Strings within the §2 limits; default empty.
    #[validate(custom(function = "rules::metadata"))]
    pub metadata: Sent<MetadataInput>,
}

/// An update request as sent (SPEC §3.4): every field optional; `null` clears the
/// external references and removes metadata keys.
#[derive(Debug, Clone, Default, PartialEq, Validate, Deserialize)]
#[serde(default)]
pub struct OfferPatchInput {
    /// A non-empty name.
    #[validate(custom(function = "rules::name_optional"))]
    pub name: Sent<String>,
    /// A valid URL (`null` is not).
    #[validate(custom(function = "rules::tracking_url_optional"))]
    pub tracking_url: Sent<String>,
    /// `tune`, `everflow`, or `null` to clear.
    #[validate(custom(function = "rules::external_platform"))]
    pub external_platform: Sent<String>,
    /// At most 255 characters, or `null` to clear.
    #[validate(
        length(max = REF_MAX, code = "invalid_external_id"),
        custom(function = "rules::external_id")
    )]
    pub external_id: Sent<String>,
    /// At most 255 characters, or `null` to clear.
    #[validate(
        length(max = REF_MAX, code = "invalid_advertiser_id"),
        custom(function = "rules::advertiser_id")
    )]
    pub advertiser_id: Sent<String>,
    /// An amount.
    #[validate(custom(function = "rules::payout_update"))]
    pub payout: Sent<AmountText>,
    /// `cpa` or `cpc`.
    #[validate(custom(function = "rules::payout_type_update"))]
    pub payout_type: Sent<String>,
    /// `true` or `false`.
    #[validate(custom(function = "rules::filter_bots_update"))]
    pub filter_bots: Sent<bool>,
    /// `active`, `paused` or `archived` (a soft delete).
    #[validate(custom(function = "rules::update_status"))]
    pub status: Sent<String>,
    /// Keys to set (strings) or remove (`null`); merged into the stored metadata.
    #[validate(custom(function = "rules::metadata_update"))]
    pub metadata: Sent<MetadataInput>,
}

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

impl OfferInput {
    /// Every rule of SPEC §3.1 the input breaks, in the SPEC's check order, each naming
    /// its field: a form shows them all beside their fields at once. Empty when
    /// `NewOffer::try_from` would accept the input.
    pub fn broken_rules(&self) -> Vec<InputError> {
        self.validate()
            .err()
            .map_or_else(Vec::new, |errors| all_errors(&errors, &CHECK_ORDER))
    }
}

impl OfferPatchInput {
    /// Every rule of SPEC §3.4 the input breaks, in the SPEC's check order, each naming
    /// its field. Empty when `OfferPatch::try_from` would accept the input.
    pub fn broken_rules(&self) -> Vec<InputError> {
        self.validate()
            .err()
            .map_or_else(Vec::new, |errors| all_errors(&errors, &CHECK_ORDER))
    }
}

impl TryFrom<OfferInput> for NewOffer {
    type Error = InputError;

    /// Runs the SPEC §3.1 checks; the first broken in the SPEC's order is the error.
    fn try_from(input: OfferInput) -> Result<Self, InputError> {
        input
            .validate()
            .map_err(|errors| first_error(&errors, &CHECK_ORDER))?;
        let name = input
            .name
            .value()
            .and_then(|text| OfferName::parse(text).ok())
            .ok_or(InputError::MissingName)?;
        let tracking_url = input
            .tracking_url
            .value()
            .and_then(|text| TrackingUrl::parse(text))
            .ok_or(InputError::InvalidTrackingUrl)?;
        Ok(Self {
            name,
            tracking_url,
            external_platform: input
                .external_platform
                .value()
                .and_then(|text| ExternalPlatform::parse(text)),
            external_id: input.external_id.into_value(),
            advertiser_id: input.advertiser_id.into_value(),
            payout: match input.payout.value() {
                Some(amount) => Amount::from_text(amount).ok_or(InputError::InvalidPayout)?,
                None => Amount::ZERO,
            },
            payout_type: input
                .payout_type
                .value()
                .and_then(|text| PayoutType::parse(text))
                .unwrap_or(PayoutType::Cpa),
            filter_bots: input.filter_bots.value().copied().unwrap_or(false),
            status: input
                .status
                .value()
                .and_then(|text| OfferStatus::parse(text))
                .unwrap_or(OfferStatus::Active),
            metadata: match input.metadata {
                Sent::Value(entries) => Metadata::from_input(entries)?,
                _ => Metadata::default(),
            },
        })
    }
}

impl TryFrom<OfferPatchInput> for OfferPatch {
    type Error = InputError;

    /// Runs the SPEC §3.4 checks; the first broken in the SPEC's order is the error.
    fn try_from(input: OfferPatchInput) -> Result<Self, InputError> {
        input
            .validate()
            .map_err(|errors| first_error(&errors, &CHECK_ORDER))?;
        Ok(Self {
            name: input
                .name
                .value()
                .map(|text| OfferName::parse(text).map_err(|_| InputError::InvalidName))
                .transpose()?,
            tracking_url: input
                .tracking_url
                .value()
                .map(|text| TrackingUrl::parse(text).ok_or(InputError::InvalidTrackingUrl))
                .transpose()?,
            external_platform: change(input.external_platform, |text| {
                ExternalPlatform::parse(&text)
            }),
            external_id: change(input.external_id, Some),
            advertiser_id: change(input.advertiser_id, Some),
            payout: input
                .payout
                .value()
                .map(|amount| Amount::from_text(amount).ok_or(InputError::InvalidPayout))
                .transpose()?,
            payout_type: input
                .payout_type
                .value()
                .and_then(|text| PayoutType::parse(text)),
            filter_bots: input.filter_bots.value().copied(),
            status: input
                .status
                .value()
                .and_then(|text| OfferStatus::parse(text)),
            metadata: match input.metadata {
                Sent::Value(entries) => Some(MetadataPatch::from_input(entries)?),
                _ => None,
            },
        })
    }
}

/// A nullable field of an update: absent keeps, `null` clears, a value is read by
/// `read` (the rules have checked it).
fn change<T>(sent: Sent<String>, read: impl FnOnce(String) -> Option<T>) -> Change<T> {
    match sent {
        Sent::Absent => Change::Keep,
        Sent::Null | Sent::WrongType => Change::Set(None),
        Sent::Value(text) => Change::Set(read(text)),
    }
}
