//! Settings and options for clients pointed at the fakes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use trackly_fake_platforms::{FakeEverflow, FakeTune};
use trackly_sync::{
    ApiKey, ClientOptions, ConnectionSettings, OfferSweep, PlatformError, PlatformOffer,
};

/// The key both fakes accept; distinctive, so a leak is easy to find.
pub const KEY: &str = "SeCrEt-KeY-9f8e7d";

/// Short waits, pages of two rows, no throttle.
pub fn options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(2),
        attempts: 3,
        backoff: Duration::from_millis(10),
        rate_limit_wait: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(5),
        min_request_interval: Duration::ZERO,
        offer_page_size: 2,
        conversion_page_size: 2,
    }
}

/// A TUNE network connection (affiliate 3) to `fake`, with `key`.
pub fn tune_network(fake: &FakeTune, key: &str) -> ConnectionSettings {
    ConnectionSettings {
        base_url: Some(fake.base_url()),
        affiliate_id: Some("3".to_owned()),
        ..ConnectionSettings::new(ApiKey::new(key))
    }
}

/// A TUNE affiliate connection (no affiliate id) to `fake`.
pub fn tune_affiliate(fake: &FakeTune) -> ConnectionSettings {
    ConnectionSettings {
        base_url: Some(fake.base_url()),
        ..ConnectionSettings::new(ApiKey::new(KEY))
    }
}

/// An Everflow connection (affiliate 7) to `fake`, with `key`.
pub fn everflow(fake: &FakeEverflow, key: &str) -> ConnectionSettings {
    ConnectionSettings {
        base_url: Some(fake.base_url()),
        affiliate_id: Some("7".to_owned()),
        ..ConnectionSettings::new(ApiKey::new(key))
    }
}

/// A UTC instant from RFC 3339 text.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|error| panic!("{text}: {error}"))
        .with_timezone(&Utc)
}

/// Fails the test when an error's message shows the key.
pub fn assert_no_key(error: &PlatformError) {
    let shown = format!("{error} / {error:?}");
    assert!(!shown.contains(KEY), "the key leaked: {shown}");
}

/// The offer of a sweep with this external id; fails the test when it is missing.
pub fn offer<'a>(sweep: &'a OfferSweep, id: &str) -> &'a PlatformOffer {
    sweep
        .offers
        .iter()
        .find(|offer| offer.external_id == id)
        .unwrap_or_else(|| panic!("offer {id} in {sweep:?}"))
}
