//! From a platform sweep to what the app writes: offers checked against our rules, the
//! conversions revenue takes, and a sentence for everything left out.

use trackly_domain::integration::{
    ConversionState, PlatformOfferFields, SyncedConversion, SyncedOffer,
};
use trackly_domain::Amount;

use crate::conversion::{ConversionStatus, ConversionSweep};
use crate::offer::OfferSweep;

/// The offers of a sweep that pass our rules, and why the others were skipped.
pub(super) fn offers(sweep: OfferSweep) -> (Vec<SyncedOffer>, Vec<String>) {
    let mut skipped: Vec<String> = sweep
        .skipped
        .into_iter()
        .map(|offer| {
            let id = offer.external_id.as_deref().unwrap_or("without an id");
            format!("offer {id}: {}", offer.reason)
        })
        .collect();
    let mut synced = Vec::with_capacity(sweep.offers.len());
    for offer in sweep.offers {
        let fields = PlatformOfferFields {
            external_platform: offer.external_platform,
            external_id: &offer.external_id,
            name: &offer.name,
            tracking_url: &offer.tracking_url,
            payout: offer.payout,
            payout_type: offer.payout_type,
            status: offer.status,
            advertiser_id: offer.advertiser_id.as_deref(),
            metadata: &offer.metadata,
        };
        match SyncedOffer::new(fields) {
            Ok(offer) => synced.push(offer),
            Err(reason) => skipped.push(reason),
        }
    }
    (synced, skipped)
}

/// The conversions of a sweep that revenue takes (approved, pending and rejected ones;
/// Everflow's post-conversion events and other statuses are left out), and why the
/// unreadable ones were skipped.
pub(super) fn conversions(sweep: ConversionSweep) -> (Vec<SyncedConversion>, Vec<String>) {
    let mut skipped: Vec<String> = sweep
        .skipped
        .into_iter()
        .map(|conversion| {
            let id = conversion
                .conversion_id
                .as_deref()
                .unwrap_or("without an id");
            format!("conversion {id}: {}", conversion.reason)
        })
        .collect();
    let mut synced = Vec::with_capacity(sweep.conversions.len());
    for conversion in sweep.conversions {
        let state = match conversion.status {
            _ if conversion.is_event => continue,
            ConversionStatus::Approved | ConversionStatus::Pending => ConversionState::Payable,
            ConversionStatus::Rejected => ConversionState::Rejected,
            ConversionStatus::Other(_) => continue,
        };
        let Some(revenue) = Amount::new(conversion.revenue) else {
            skipped.push(format!(
                "conversion {}: the amount {} is out of range",
                conversion.txn_id, conversion.revenue
            ));
            continue;
        };
        synced.push(SyncedConversion {
            txn_id: conversion.txn_id,
            state,
            revenue,
            occurred_at: conversion.occurred_at,
            click_candidates: conversion.click_id_candidates,
            message_value: conversion.message_field_value,
            offer_external_id: conversion.offer_external_id,
        });
    }
    (synced, skipped)
}
