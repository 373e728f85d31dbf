//! What a cached read costs in memory, for the cache's capacity in bytes: the text each
//! value owns plus its fixed size, an estimate within tens of bytes.

use std::mem::size_of;

use trackly_domain::Offer;

use super::ReadKey;

/// Allocator and map bookkeeping per owned string or map entry.
const PER_ALLOCATION: u64 = 16;

/// The bytes of `key` beyond its fixed size.
pub(super) fn of_key(key: &ReadKey) -> u64 {
    let text = match key {
        ReadKey::Offer(account, _) => account.as_str().len() + 24,
        ReadKey::Page(account, filter, _) => {
            account.as_str().len()
                + [
                    &filter.name_contains,
                    &filter.external_id,
                    &filter.advertiser_id,
                ]
                .into_iter()
                .flatten()
                .map(String::len)
                .sum::<usize>()
        }
    };
    bytes(size_of::<ReadKey>() + text) + 4 * PER_ALLOCATION
}

/// The bytes of one offer, its `Arc` included.
pub(super) fn of_offer(offer: &Offer) -> u64 {
    let text = offer.name.as_str().len()
        + offer.tracking_url.as_str().len()
        + offer.external_id.as_ref().map_or(0, String::len)
        + offer.advertiser_id.as_ref().map_or(0, String::len)
        + 3 * 24;
    let metadata: u64 = offer
        .metadata
        .entries()
        .iter()
        .map(|(key, value)| bytes(key.len() + value.len()) + 3 * PER_ALLOCATION)
        .sum();
    bytes(size_of::<Offer>() + text) + 8 * PER_ALLOCATION + metadata
}

fn bytes(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(u64::MAX)
}
