//! The one error type of the domain: every rule a request can break, each with the
//! SPEC's machine code, the body field it concerns and a sentence for people.

use std::borrow::Cow;

use thiserror::Error;
use validator::ValidationError;

/// A rule of the SPEC that a request broke. `code()` is the SPEC's machine code and
/// `field()` the body field it concerns (when it concerns exactly one).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    /// SPEC §3.1 check 1.
    #[error("name is required and must not be empty.")]
    MissingName,
    /// SPEC §3.1 check 2.
    #[error("tracking_url is required.")]
    MissingTrackingUrl,
    /// SPEC §3.1 check 3 (and an empty name on update, §3.4).
    #[error("name must be a non-empty string.")]
    InvalidName,
    /// SPEC §3.1 check 4.
    #[error("name must be at most 255 characters.")]
    NameTooLong,
    /// SPEC §3.1 check 5.
    #[error(
        "tracking_url must be an absolute http or https URL with a host, at most 2048 characters."
    )]
    InvalidTrackingUrl,
    /// SPEC §3.1 check 6.
    #[error("external_platform must be \"tune\", \"everflow\" or null.")]
    InvalidExternalPlatform,
    /// SPEC §3.1 check 7.
    #[error("payout_type must be \"cpa\" or \"cpc\".")]
    InvalidPayoutType,
    /// SPEC §3.1 check 8 (create allows active and paused; update also archived).
    #[error("status must be one of: {allowed}.")]
    InvalidStatus {
        /// The statuses allowed where the check failed, for the message.
        allowed: &'static str,
    },
    /// SPEC §3.1 check 9.
    #[error("payout must be a number from 0 to 1000000000 with at most 4 decimal places.")]
    InvalidPayout,
    /// SPEC §3.1 check 10.
    #[error("filter_bots must be true or false.")]
    InvalidFilterBots,
    /// SPEC §3.1 check 11.
    #[error("metadata {0}.")]
    InvalidMetadata(&'static str),
    /// SPEC §3.1 check 12.
    #[error("external_id must be a string of at most 255 characters, or null.")]
    InvalidExternalId,
    /// SPEC §3.1 check 12.
    #[error("advertiser_id must be a string of at most 255 characters, or null.")]
    InvalidAdvertiserId,
    /// SPEC §1.6.
    #[error("{0} must be a whole number of at least 1.")]
    InvalidPagination(&'static str),
    /// A query-string filter that is not of its documented form.
    #[error("{field} {reason}.")]
    InvalidQuery {
        /// The query parameter.
        field: &'static str,
        /// What it must be.
        reason: &'static str,
    },
    /// SPEC §5.4 / §7.1: a `from`/`to` date that is not `YYYY-MM-DD`, or `from` after `to`.
    #[error("{0}.")]
    InvalidDateRange(&'static str),
    /// SPEC §6.1: `revenue` is not an amount.
    #[error("revenue must be a number from 0 to 1000000000 with at most 4 decimal places.")]
    InvalidRevenue,
    /// SPEC §6.1: `click_id` is not a string.
    #[error("click_id must be a string.")]
    InvalidClickId,
    /// SPEC §6.1: neither `offer_id` nor `click_id`.
    #[error("offer_id is required when no click_id is given.")]
    MissingOfferId,
    /// SPEC §6.1: `offer_id` is not a string (or a whole number).
    #[error("offer_id must be a string: the offer's id, slug or external id.")]
    InvalidOfferId,
    /// SPEC §6.1.
    #[error("message_id must be a string of at most 64 characters.")]
    InvalidMessageId,
    /// SPEC §6.1.
    #[error("attribution_type must be one of: sale, click, send.")]
    InvalidAttributionType,
    /// SPEC §6.1.
    #[error("event_type must be one of: lead, sale, rebill, refund, chargeback, install, signup.")]
    InvalidEventType,
    /// SPEC §6.1.
    #[error("txn_id must be a string of at most 255 characters.")]
    InvalidTxnId,
    /// SPEC §6.1.
    #[error("timestamp must be an RFC 3339 time (or YYYY-MM-DDTHH:MM:SS, read as UTC), at most 5 minutes in the future.")]
    InvalidTimestamp,
    /// SPEC §6.2: `records` absent, empty or not an array.
    #[error("records must be a non-empty array of revenue records.")]
    MissingRecords,
    /// SPEC §6.2: a bulk record that is not a JSON object.
    #[error("each record must be a JSON object.")]
    InvalidRecord,
    /// SPEC §1.7: the `Idempotency-Key` header is not 1–255 visible ASCII characters.
    #[error("Idempotency-Key must be 1 to 255 visible ASCII characters.")]
    InvalidIdempotencyKey,
    /// SPEC §9.1: `url` is not a valid destination (checked only without `offerId`).
    #[error("url must be an absolute http or https URL with a host, at most 2048 characters.")]
    InvalidUrl,
    /// SPEC §9.1: neither `url` nor `offerId`.
    #[error("url or offerId is required.")]
    MissingUrlOrOffer,
    /// SPEC §9.1/§9.2: `offerId` is not a string (or a whole number).
    #[error("offerId must be a string: the id, slug or code of an offer.")]
    InvalidLinkOfferId,
    /// SPEC §9.2: `externalOfferId` is not a string or whole number of at most 255
    /// characters.
    #[error("externalOfferId must be a string (or a whole number) of at most 255 characters.")]
    InvalidExternalOfferId,
    /// SPEC §9.2: neither `offerId` nor `externalOfferId`.
    #[error("offerId or externalOfferId is required.")]
    MissingLinkOffer,
    /// SPEC §9.1: `listId` is not a string of at most 255 characters.
    #[error("listId must be a string (or a whole number) of at most 255 characters.")]
    InvalidListId,
    /// SPEC §9.1: neither `listId` nor `phoneNumber`.
    #[error("listId or phoneNumber is required.")]
    MissingListIdentifier,
    /// SPEC §9.1: `phoneNumber` is not E.164.
    #[error("phoneNumber must be an E.164 phone number: + followed by 8 to 15 digits.")]
    InvalidPhoneNumber,
    /// SPEC §9.1: `contactPhone` is not E.164.
    #[error("contactPhone must be an E.164 phone number: + followed by 8 to 15 digits.")]
    InvalidContactPhone,
    /// SPEC §9.1: `messageId` is not a string of at most 255 characters.
    #[error("messageId must be a string (or a whole number) of at most 255 characters.")]
    InvalidLinkMessageId,
    /// SPEC §9.3: `links` absent, empty or not an array.
    #[error("links must be a non-empty array of link requests.")]
    MissingLinks,
    /// SPEC §10.1: no `platform`.
    #[error("platform is required: \"tune\" or \"everflow\".")]
    MissingPlatform,
    /// SPEC §10.1: `platform` not a known platform.
    #[error("platform must be \"tune\" or \"everflow\".")]
    InvalidPlatform,
    /// SPEC §10.1: an update names another platform.
    #[error(
        "platform cannot change; delete the connection and create one for the other platform."
    )]
    PlatformChanged,
    /// SPEC §10.1: no `api_key`.
    #[error("api_key is required: the platform's API key.")]
    MissingApiKey,
    /// SPEC §10.1: `api_key` unusable.
    #[error("api_key must be a string of at most 255 characters without control characters.")]
    InvalidApiKey,
    /// SPEC §10.1: `base_url` not a URL.
    #[error("base_url must be an absolute http(s) URL of at most 2048 characters.")]
    InvalidBaseUrl,
    /// SPEC §10.1: `network_id` not a host label.
    #[error("network_id must be letters, digits and '-', at most 63 characters (it names the host {{network_id}}.api.hasoffers.com).")]
    InvalidNetworkId,
    /// SPEC §10.1: TUNE with no endpoint.
    #[error("A TUNE connection needs network_id or base_url.")]
    MissingNetworkId,
    /// `affiliate_id` unusable.
    #[error("affiliate_id must be your affiliate id on the platform: 1 to 20 digits.")]
    InvalidAffiliateId,
    /// Everflow offer sync with no affiliate.
    #[error("An Everflow connection that syncs offers needs affiliate_id: Everflow makes tracking links for an affiliate.")]
    MissingAffiliateId,
    /// SPEC §10.1: `sync_offers` not a boolean.
    #[error("sync_offers must be a boolean.")]
    InvalidSyncOffers,
    /// SPEC §10.1: `sync_conversions` not a boolean.
    #[error("sync_conversions must be a boolean.")]
    InvalidSyncConversions,
    /// SPEC §10.1: `message_id_field` not a TUNE parameter.
    #[error("message_id_field must be one of aff_sub, aff_sub2…aff_sub5, affiliate_unique1…affiliate_unique5, source.")]
    InvalidMessageIdField,
    /// `timezone` not a zone.
    #[error("timezone must be an IANA time zone name, such as America/New_York.")]
    InvalidTimezone,
    /// SPEC §10.2: an on-demand sync of a connection that syncs nothing.
    #[error("This connection syncs neither offers nor conversions; turn one on with PUT first, or name the kind to sync.")]
    SyncDisabled,
    /// SPEC §10.2: an on-demand sync of an unknown kind.
    #[error("kind must be \"offers\" or \"conversions\".")]
    InvalidSyncKind,
}

impl InputError {
    /// The error a broken `validator` rule stands for: its code is the SPEC's, and for the
    /// codes whose sentence says why (metadata, status), its message is the reason.
    pub(crate) fn from_validation(error: &ValidationError) -> Self {
        let reason = match &error.message {
            Some(Cow::Borrowed(reason)) => reason,
            _ => "is invalid",
        };
        match error.code.as_ref() {
            "missing_name" => Self::MissingName,
            "missing_tracking_url" => Self::MissingTrackingUrl,
            "invalid_name" => Self::InvalidName,
            "name_too_long" => Self::NameTooLong,
            "invalid_tracking_url" => Self::InvalidTrackingUrl,
            "invalid_external_platform" => Self::InvalidExternalPlatform,
            "invalid_payout_type" => Self::InvalidPayoutType,
            "invalid_status" => Self::InvalidStatus { allowed: reason },
            "invalid_payout" => Self::InvalidPayout,
            "invalid_filter_bots" => Self::InvalidFilterBots,
            "invalid_metadata" => Self::InvalidMetadata(reason),
            "invalid_external_id" => Self::InvalidExternalId,
            "invalid_advertiser_id" => Self::InvalidAdvertiserId,
            "invalid_revenue" => Self::InvalidRevenue,
            "invalid_click_id" => Self::InvalidClickId,
            "missing_offer_id" => Self::MissingOfferId,
            "invalid_offer_id" => Self::InvalidOfferId,
            "invalid_message_id" => Self::InvalidMessageId,
            "invalid_attribution_type" => Self::InvalidAttributionType,
            "invalid_event_type" => Self::InvalidEventType,
            "invalid_txn_id" => Self::InvalidTxnId,
            "invalid_timestamp" => Self::InvalidTimestamp,
            "invalid_url" => Self::InvalidUrl,
            "missing_url_or_offer" => Self::MissingUrlOrOffer,
            "invalid_link_offer_id" => Self::InvalidLinkOfferId,
            "invalid_external_offer_id" => Self::InvalidExternalOfferId,
            "missing_link_offer" => Self::MissingLinkOffer,
            "invalid_list_id" => Self::InvalidListId,
            "missing_list_identifier" => Self::MissingListIdentifier,
            "invalid_phone_number" => Self::InvalidPhoneNumber,
            "invalid_contact_phone" => Self::InvalidContactPhone,
            "invalid_link_message_id" => Self::InvalidLinkMessageId,
            "missing_platform" => Self::MissingPlatform,
            "invalid_platform" => Self::InvalidPlatform,
            "missing_api_key" => Self::MissingApiKey,
            "invalid_api_key" => Self::InvalidApiKey,
            "invalid_base_url" => Self::InvalidBaseUrl,
            "invalid_network_id" => Self::InvalidNetworkId,
            "missing_network_id" => Self::MissingNetworkId,
            "invalid_affiliate_id" => Self::InvalidAffiliateId,
            "missing_affiliate_id" => Self::MissingAffiliateId,
            "invalid_sync_offers" => Self::InvalidSyncOffers,
            "invalid_sync_conversions" => Self::InvalidSyncConversions,
            "invalid_message_id_field" => Self::InvalidMessageIdField,
            "invalid_timezone" => Self::InvalidTimezone,
            _ => Self::InvalidRecord,
        }
    }

    /// The SPEC's machine code for this error, e.g. `missing_name`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingName => "missing_name",
            Self::MissingTrackingUrl => "missing_tracking_url",
            Self::InvalidName => "invalid_name",
            Self::NameTooLong => "name_too_long",
            Self::InvalidTrackingUrl => "invalid_tracking_url",
            Self::InvalidExternalPlatform => "invalid_external_platform",
            Self::InvalidPayoutType => "invalid_payout_type",
            Self::InvalidStatus { .. } => "invalid_status",
            Self::InvalidPayout => "invalid_payout",
            Self::InvalidFilterBots => "invalid_filter_bots",
            Self::InvalidMetadata(_) => "invalid_metadata",
            Self::InvalidExternalId => "invalid_external_id",
            Self::InvalidAdvertiserId => "invalid_advertiser_id",
            Self::InvalidPagination(_) => "invalid_pagination",
            Self::InvalidQuery { .. } => "invalid_query",
            Self::InvalidDateRange(_) => "invalid_date_range",
            Self::InvalidIdempotencyKey => "invalid_idempotency_key",
            Self::InvalidRevenue => "invalid_revenue",
            Self::InvalidClickId => "invalid_click_id",
            Self::MissingOfferId => "missing_offer_id",
            Self::InvalidOfferId => "invalid_offer_id",
            Self::InvalidMessageId => "invalid_message_id",
            Self::InvalidAttributionType => "invalid_attribution_type",
            Self::InvalidEventType => "invalid_event_type",
            Self::InvalidTxnId => "invalid_txn_id",
            Self::InvalidTimestamp => "invalid_timestamp",
            Self::MissingRecords => "missing_records",
            Self::InvalidRecord => "invalid_record",
            Self::InvalidUrl => "invalid_url",
            Self::MissingUrlOrOffer => "missing_url_or_offer",
            Self::InvalidLinkOfferId | Self::InvalidExternalOfferId => "invalid_offer_id",
            Self::MissingLinkOffer => "missing_offer_id",
            Self::InvalidListId => "invalid_list_id",
            Self::MissingListIdentifier => "missing_list_identifier",
            Self::InvalidPhoneNumber | Self::InvalidContactPhone => "invalid_phone",
            Self::InvalidLinkMessageId => "invalid_message_id",
            Self::MissingLinks => "missing_links",
            Self::MissingPlatform => "missing_platform",
            Self::InvalidPlatform => "invalid_platform",
            Self::PlatformChanged => "invalid_platform",
            Self::MissingApiKey => "missing_api_key",
            Self::InvalidApiKey => "invalid_api_key",
            Self::InvalidBaseUrl => "invalid_base_url",
            Self::InvalidNetworkId => "invalid_network_id",
            Self::MissingNetworkId => "missing_network_id",
            Self::InvalidAffiliateId => "invalid_affiliate_id",
            Self::MissingAffiliateId => "missing_affiliate_id",
            Self::InvalidSyncOffers => "invalid_sync_offers",
            Self::InvalidSyncConversions => "invalid_sync_conversions",
            Self::InvalidMessageIdField => "invalid_message_id_field",
            Self::InvalidTimezone => "invalid_timezone",
            Self::SyncDisabled => "sync_disabled",
            Self::InvalidSyncKind => "invalid_kind",
        }
    }

    /// The request field the error concerns, when it concerns exactly one body field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::MissingName | Self::InvalidName | Self::NameTooLong => Some("name"),
            Self::MissingTrackingUrl | Self::InvalidTrackingUrl => Some("tracking_url"),
            Self::InvalidExternalPlatform => Some("external_platform"),
            Self::InvalidPayoutType => Some("payout_type"),
            Self::InvalidStatus { .. } => Some("status"),
            Self::InvalidPayout => Some("payout"),
            Self::InvalidFilterBots => Some("filter_bots"),
            Self::InvalidMetadata(_) => Some("metadata"),
            Self::InvalidExternalId => Some("external_id"),
            Self::InvalidAdvertiserId => Some("advertiser_id"),
            Self::InvalidRevenue => Some("revenue"),
            Self::InvalidClickId => Some("click_id"),
            Self::MissingOfferId | Self::InvalidOfferId => Some("offer_id"),
            Self::InvalidMessageId => Some("message_id"),
            Self::InvalidAttributionType => Some("attribution_type"),
            Self::InvalidEventType => Some("event_type"),
            Self::InvalidTxnId => Some("txn_id"),
            Self::InvalidTimestamp => Some("timestamp"),
            Self::MissingRecords => Some("records"),
            Self::InvalidUrl => Some("url"),
            Self::InvalidLinkOfferId | Self::MissingLinkOffer => Some("offerId"),
            Self::InvalidExternalOfferId => Some("externalOfferId"),
            Self::InvalidListId => Some("listId"),
            Self::InvalidPhoneNumber => Some("phoneNumber"),
            Self::InvalidContactPhone => Some("contactPhone"),
            Self::InvalidLinkMessageId => Some("messageId"),
            Self::MissingLinks => Some("links"),
            Self::MissingPlatform => Some("platform"),
            Self::InvalidPlatform => Some("platform"),
            Self::PlatformChanged => Some("platform"),
            Self::MissingApiKey => Some("api_key"),
            Self::InvalidApiKey => Some("api_key"),
            Self::InvalidBaseUrl => Some("base_url"),
            Self::InvalidNetworkId => Some("network_id"),
            Self::MissingNetworkId => Some("network_id"),
            Self::InvalidAffiliateId => Some("affiliate_id"),
            Self::MissingAffiliateId => Some("affiliate_id"),
            Self::InvalidSyncOffers => Some("sync_offers"),
            Self::InvalidSyncConversions => Some("sync_conversions"),
            Self::InvalidMessageIdField => Some("message_id_field"),
            Self::InvalidTimezone => Some("timezone"),
            Self::InvalidSyncKind => Some("kind"),
            Self::MissingUrlOrOffer
            | Self::SyncDisabled
            | Self::MissingListIdentifier
            | Self::InvalidPagination(_)
            | Self::InvalidRecord
            | Self::InvalidQuery { .. }
            | Self::InvalidDateRange(_)
            | Self::InvalidIdempotencyKey => None,
        }
    }
}
