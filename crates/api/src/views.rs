//! Response bodies built from domain values (SPEC §2 offer object, §1.4 timestamps).

use chrono::{DateTime, Utc};
use serde::Serialize;
use trackly_domain::click::{BotReason, Click};
use trackly_domain::offer::{ExternalPlatform, Metadata, OfferStatus, PayoutType};
use trackly_domain::{Amount, Offer};

/// A timestamp as the SPEC writes it: UTC, whole seconds, `Z`.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The offer object of SPEC §2.
#[derive(Debug, Serialize)]
pub struct OfferView<'a> {
    id: &'a str,
    slug: String,
    name: &'a str,
    tracking_url: &'a str,
    external_platform: Option<ExternalPlatform>,
    external_id: Option<&'a str>,
    advertiser_id: Option<&'a str>,
    payout: Amount,
    payout_type: PayoutType,
    filter_bots: bool,
    status: OfferStatus,
    metadata: &'a Metadata,
    click_url: String,
    created_at: String,
    updated_at: String,
}

impl<'a> OfferView<'a> {
    /// The view of `offer`, with its tracking link under `public_url`.
    pub fn new(offer: &'a Offer, public_url: &str) -> Self {
        Self {
            id: offer.id.as_str(),
            slug: offer.slug(),
            name: offer.name.as_str(),
            tracking_url: offer.tracking_url.as_str(),
            external_platform: offer.external_platform,
            external_id: offer.external_id.as_deref(),
            advertiser_id: offer.advertiser_id.as_deref(),
            payout: offer.payout,
            payout_type: offer.payout_type,
            filter_bots: offer.filter_bots,
            status: offer.status,
            metadata: &offer.metadata,
            click_url: format!("{public_url}/{}", offer.code),
            created_at: timestamp(offer.created_at),
            updated_at: timestamp(offer.updated_at),
        }
    }
}

/// A raw click of SPEC §5.4.
#[derive(Debug, Serialize)]
pub struct ClickView<'a> {
    click_id: &'a str,
    offer_id: &'a str,
    created_at: String,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    referer: Option<&'a str>,
    sub1: Option<&'a str>,
    sub2: Option<&'a str>,
    sub3: Option<&'a str>,
    sub4: Option<&'a str>,
    sub5: Option<&'a str>,
    is_bot: bool,
    bot_reason: Option<BotReason>,
}

impl<'a> ClickView<'a> {
    /// The view of `click`.
    pub fn new(click: &'a Click) -> Self {
        let [sub1, sub2, sub3, sub4, sub5] = click.subs.each_ref().map(Option::as_deref);
        Self {
            click_id: click.id.as_str(),
            offer_id: click.offer_id.as_str(),
            created_at: timestamp(click.created_at),
            ip: click.ip.as_deref(),
            user_agent: click.user_agent.as_deref(),
            referer: click.referer.as_deref(),
            sub1,
            sub2,
            sub3,
            sub4,
            sub5,
            is_bot: click.bot_reason.is_some(),
            bot_reason: click.bot_reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_utc_seconds_with_z() {
        let time = DateTime::parse_from_rfc3339("2025-11-01T16:30:00.789+02:00")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(timestamp(time), "2025-11-01T14:30:00Z");
    }
}
