//! Connection requests (SPEC §10.1): the body as sent, its field rules declared with
//! `validator`, and the valid connection or change built from it.

use chrono_tz::Tz;
use serde::Deserialize;
use validator::Validate;

use super::message_field::MessageIdField;
use super::model::IntegrationSettings;
use super::platform_key::PlatformKey;
use super::rules;
use crate::error::InputError;
use crate::input::{first_error, Sent, TextOrInteger};
use crate::offer::ExternalPlatform;

/// The rules of a connection request, in the order they are reported: the first broken
/// one is the error.
const CHECK_ORDER: [&str; 13] = [
    "missing_platform",
    "invalid_platform",
    "missing_api_key",
    "invalid_api_key",
    "invalid_base_url",
    "invalid_network_id",
    "missing_network_id",
    "invalid_affiliate_id",
    "missing_affiliate_id",
    "invalid_sync_offers",
    "invalid_sync_conversions",
    "invalid_message_id_field",
    "invalid_timezone",
];

/// A connection request as sent (`POST` and `PUT /api/v2/integrations…`). `null` and
/// blank strings are "not sent"; ids may be whole numbers. Unknown fields are ignored.
///
/// ```
/// use trackly_domain::integration::{IntegrationInput, NewIntegration};
///
/// let body = r#"{"platform": "tune", "network_id": "acme", "api_key": "k-1234"}"#;
/// let connection = NewIntegration::new(serde_json::from_str(body).unwrap()).unwrap();
/// assert_eq!(connection.settings.message_id_field.as_str(), "aff_sub");
/// assert_eq!(connection.api_key.last4(), "…1234");
///
/// let no_network = r#"{"platform": "tune", "api_key": "k-1234"}"#;
/// let error = NewIntegration::new(serde_json::from_str::<IntegrationInput>(no_network).unwrap());
/// assert_eq!(error.unwrap_err().code(), "missing_network_id");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Validate, Deserialize)]
#[serde(default)]
pub struct IntegrationInput {
    /// `tune` or `everflow`; required on create, fixed afterwards.
    #[validate(custom(function = "rules::platform"))]
    pub platform: Sent<String>,
    /// The platform key; required on create, write-only.
    #[validate(custom(function = "rules::api_key"))]
    pub api_key: Sent<String>,
    /// The API endpoint (TUNE: the `…/Apiv3/json` URL; Everflow: the API root).
    #[validate(custom(function = "rules::base_url"))]
    pub base_url: Sent<String>,
    /// TUNE's network id; required for TUNE without `base_url`.
    #[validate(custom(function = "rules::network_id"))]
    pub network_id: Sent<TextOrInteger>,
    /// Our affiliate id on the platform; required for Everflow offer sync.
    #[validate(custom(function = "rules::affiliate_id"))]
    pub affiliate_id: Sent<TextOrInteger>,
    /// Whether offers are synced (default `true`).
    #[validate(custom(function = "rules::sync_offers"))]
    pub sync_offers: Sent<bool>,
    /// Whether conversions are synced (default `true`).
    #[validate(custom(function = "rules::sync_conversions"))]
    pub sync_conversions: Sent<bool>,
    /// TUNE's click parameter for our click id (default `aff_sub`).
    #[validate(custom(function = "rules::message_id_field"))]
    pub message_id_field: Sent<String>,
    /// The zone TUNE writes conversion times in (default `UTC`).
    #[validate(custom(function = "rules::timezone"))]
    pub timezone: Sent<String>,
}

/// A valid new connection: its settings and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntegration {
    /// How it reaches the platform.
    pub settings: IntegrationSettings,
    /// The platform key.
    pub api_key: PlatformKey,
}

impl NewIntegration {
    /// Checks a create request; the first rule broken, in the order above, is the error.
    pub fn new(input: IntegrationInput) -> Result<Self, InputError> {
        let field_error = input
            .validate()
            .err()
            .map(|errors| first_error(&errors, &CHECK_ORDER));
        let platform = input
            .platform
            .value()
            .and_then(|text| ExternalPlatform::parse(text));
        let api_key = text(&input.api_key).and_then(|text| PlatformKey::parse(&text));
        let missing = match (platform, &api_key) {
            (None, _) if input.platform.is_unset() => Some(InputError::MissingPlatform),
            (_, None)
                if text(&input.api_key).is_none() && !matches!(input.api_key, Sent::WrongType) =>
            {
                Some(InputError::MissingApiKey)
            }
            _ => None,
        };
        if let Some(error) = earliest(field_error.clone(), missing) {
            return Err(error);
        }
        let (Some(platform), Some(api_key)) = (platform, api_key) else {
            return Err(field_error.unwrap_or(InputError::InvalidRecord));
        };
        let settings = settings(input, platform, None)?;
        Ok(Self { settings, api_key })
    }
}

/// A valid change to a stored connection: the settings it will have, and a new key when
/// one was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationChange {
    /// The settings after the change: what was sent over what was stored.
    pub settings: IntegrationSettings,
    /// A new platform key, to check and store.
    pub api_key: Option<PlatformKey>,
}

impl IntegrationChange {
    /// Checks an update request against the stored `current` settings: fields not sent
    /// keep their value, `null` clears an optional one. The platform cannot change.
    pub fn new(input: IntegrationInput, current: &IntegrationSettings) -> Result<Self, InputError> {
        if let Err(errors) = input.validate() {
            return Err(first_error(&errors, &CHECK_ORDER));
        }
        if let Some(platform) = input
            .platform
            .value()
            .and_then(|text| ExternalPlatform::parse(text))
        {
            if platform != current.platform {
                return Err(InputError::PlatformChanged);
            }
        }
        let api_key = text(&input.api_key).and_then(|text| PlatformKey::parse(&text));
        let settings = settings(input, current.platform, Some(current))?;
        Ok(Self { settings, api_key })
    }
}

/// The settings a request asks for over `current` (none on create), with the rules
/// between fields.
fn settings(
    input: IntegrationInput,
    platform: ExternalPlatform,
    current: Option<&IntegrationSettings>,
) -> Result<IntegrationSettings, InputError> {
    let kept = |sent: &Sent<String>, stored: Option<&Option<String>>| match sent {
        Sent::Absent => stored.cloned().flatten(),
        _ => text(sent),
    };
    let kept_id = |sent: Sent<TextOrInteger>, stored: Option<&Option<String>>| match sent {
        Sent::Absent => stored.cloned().flatten(),
        Sent::Value(text) if !text.0.trim().is_empty() => Some(text.0.trim().to_owned()),
        _ => None,
    };
    let base_url =
        kept(&input.base_url, current.map(|c| &c.base_url)).map(|url| url.trim().to_owned());
    let network_id = kept_id(input.network_id, current.map(|c| &c.network_id));
    let affiliate_id = kept_id(input.affiliate_id, current.map(|c| &c.affiliate_id));
    let flag = |sent: Sent<bool>, stored: Option<bool>| match sent {
        Sent::Value(value) => value,
        Sent::Null => true,
        _ => stored.unwrap_or(true),
    };
    let sync_offers = flag(input.sync_offers, current.map(|c| c.sync_offers));
    let sync_conversions = flag(input.sync_conversions, current.map(|c| c.sync_conversions));
    let message_id_field = match &input.message_id_field {
        Sent::Value(text) => MessageIdField::parse(text).unwrap_or_default(),
        Sent::Absent => current.map(|c| c.message_id_field).unwrap_or_default(),
        _ => MessageIdField::default(),
    };
    let timezone = match &input.timezone {
        Sent::Value(text) => text.parse().unwrap_or(Tz::UTC),
        Sent::Absent => current.map_or(Tz::UTC, |c| c.timezone),
        _ => Tz::UTC,
    };
    if platform == ExternalPlatform::Tune && base_url.is_none() && network_id.is_none() {
        return Err(InputError::MissingNetworkId);
    }
    if platform == ExternalPlatform::Everflow && affiliate_id.is_none() && sync_offers {
        return Err(InputError::MissingAffiliateId);
    }
    Ok(IntegrationSettings {
        platform,
        base_url,
        network_id,
        affiliate_id,
        sync_offers,
        sync_conversions,
        message_id_field,
        timezone,
    })
}

/// A sent string with something in it, trimmed.
fn text(sent: &Sent<String>) -> Option<String> {
    sent.value()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// Of two errors, the one whose rule comes first.
fn earliest(a: Option<InputError>, b: Option<InputError>) -> Option<InputError> {
    let rank = |error: &InputError| {
        CHECK_ORDER
            .iter()
            .position(|code| *code == error.code())
            .unwrap_or(CHECK_ORDER.len())
    };
    match (a, b) {
        (Some(a), Some(b)) => Some(if rank(&b) < rank(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(body: &str) -> Result<NewIntegration, InputError> {
        NewIntegration::new(serde_json::from_str(body).expect("JSON"))
    }

    #[test]
    fn connection_requests_breaking_a_rule_are_refused_with_its_code() {
        let cases = [
            (r#"{"api_key": "k"}"#, "missing_platform", "no platform"),
            (
                r#"{"platform": "hasoffers", "api_key": "k"}"#,
                "invalid_platform",
                "unknown platform",
            ),
            (
                r#"{"platform": 3, "api_key": "k"}"#,
                "invalid_platform",
                "platform of another type",
            ),
            (
                r#"{"platform": "tune", "network_id": "n"}"#,
                "missing_api_key",
                "no key",
            ),
            (
                r#"{"platform": "tune", "network_id": "n", "api_key": "  "}"#,
                "missing_api_key",
                "blank key",
            ),
            (
                r#"{"platform": "tune", "network_id": "n", "api_key": 12}"#,
                "invalid_api_key",
                "key of another type",
            ),
            (
                r#"{"platform": "tune", "api_key": "k", "base_url": "ftp://x"}"#,
                "invalid_base_url",
                "not http(s)",
            ),
            (
                r#"{"platform": "tune", "api_key": "k", "network_id": "a.b"}"#,
                "invalid_network_id",
                "a dot in a host label",
            ),
            (
                r#"{"platform": "tune", "api_key": "k"}"#,
                "missing_network_id",
                "TUNE with no endpoint",
            ),
            (
                r#"{"platform": "everflow", "api_key": "k", "affiliate_id": "x/y"}"#,
                "invalid_affiliate_id",
                "a slash",
            ),
            (
                r#"{"platform": "everflow", "api_key": "k", "affiliate_id": "abc"}"#,
                "invalid_affiliate_id",
                "affiliate ids are numbers",
            ),
            (
                r#"{"platform": "everflow", "api_key": "k"}"#,
                "missing_affiliate_id",
                "Everflow offer sync needs an affiliate",
            ),
            (
                r#"{"platform": "tune", "api_key": "k", "network_id": "n", "sync_offers": "yes"}"#,
                "invalid_sync_offers",
                "not a boolean",
            ),
            (
                r#"{"platform": "tune", "api_key": "k", "network_id": "n", "sync_conversions": 1}"#,
                "invalid_sync_conversions",
                "not a boolean",
            ),
            (
                r#"{"platform": "tune", "api_key": "k", "network_id": "n", "message_id_field": "aff_sub6"}"#,
                "invalid_message_id_field",
                "not a TUNE parameter",
            ),
            (
                r#"{"platform": "tune", "api_key": "k", "network_id": "n", "timezone": "Mars/Base"}"#,
                "invalid_timezone",
                "not an IANA zone",
            ),
        ];
        for (body, code, description) in cases {
            let error = create(body).expect_err(description);
            assert_eq!(error.code(), code, "{description}");
        }
    }

    #[test]
    fn everflow_without_offer_sync_needs_no_affiliate() {
        let made = create(r#"{"platform": "everflow", "api_key": "k", "sync_offers": false}"#)
            .expect("valid");
        assert!(!made.settings.sync_offers);
        assert!(made.settings.sync_conversions);
    }

    #[test]
    fn a_change_keeps_what_was_not_sent_and_never_changes_the_platform() {
        let current = create(
            r#"{"platform": "tune", "api_key": "k", "network_id": "acme", "message_id_field": "aff_sub3"}"#,
        )
        .expect("valid")
        .settings;
        let change = IntegrationChange::new(
            serde_json::from_str(r#"{"sync_conversions": false}"#).expect("JSON"),
            &current,
        )
        .expect("valid");
        assert_eq!(change.settings.network_id.as_deref(), Some("acme"));
        assert_eq!(change.settings.message_id_field, MessageIdField::AffSub3);
        assert!(!change.settings.sync_conversions);
        assert!(change.api_key.is_none());

        let moved = IntegrationChange::new(
            serde_json::from_str(r#"{"platform": "everflow"}"#).expect("JSON"),
            &current,
        );
        assert_eq!(moved.expect_err("fixed").code(), "invalid_platform");
        let cleared = IntegrationChange::new(
            serde_json::from_str(r#"{"network_id": null}"#).expect("JSON"),
            &current,
        );
        assert_eq!(
            cleared.expect_err("no endpoint").code(),
            "missing_network_id"
        );
    }
}
