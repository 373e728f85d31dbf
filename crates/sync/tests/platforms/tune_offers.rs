//! TUNE offers: every page, a link per offer, both APIs, skips, changes between sweeps.

use trackly_domain::offer::{ExternalPlatform, OfferStatus, PayoutType};
use trackly_fake_platforms::{FakeTune, RowShape, TuneOffer};
use trackly_sync::{MessageIdField, OfferSweep, TuneClient};

use crate::helpers::{offer, options, tune_affiliate, tune_network, KEY};

fn five_offers() -> Vec<TuneOffer> {
    (1..=5)
        .map(|n| TuneOffer::new(530 + n, &format!("Offer {n}")))
        .collect()
}

#[tokio::test]
async fn the_network_api_reads_every_page_and_links_each_offer() {
    let tune = FakeTune::start(KEY);
    tune.set_offers(five_offers());
    let client = TuneClient::new(tune_network(&tune, KEY), options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    let mut ids: Vec<&str> = sweep
        .offers
        .iter()
        .map(|offer| offer.external_id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["531", "532", "533", "534", "535"]);
    assert!(sweep.skipped.is_empty(), "{:?}", sweep.skipped);
    let offer = offer(&sweep, "532");
    assert_eq!(offer.external_platform, ExternalPlatform::Tune);
    assert_eq!(offer.name, "Offer 2");
    assert_eq!(offer.payout.to_string(), "2");
    assert_eq!(offer.payout_type, PayoutType::Cpa);
    assert_eq!(offer.status, OfferStatus::Active);
    assert_eq!(offer.advertiser_id.as_deref(), Some("18"));
    assert_eq!(
        offer.tracking_url,
        "https://trk.example.com/aff_c?offer_id=532&aff_id=3&aff_sub={click_id}"
    );

    let requests = tune.requests();
    let pages: Vec<(Option<&str>, Option<&str>)> = requests
        .iter()
        .filter(|request| request.param("Method") == Some("findAll"))
        .map(|request| (request.param("page"), request.param("limit")))
        .collect();
    assert_eq!(
        pages,
        [
            (Some("1"), Some("2")),
            (Some("2"), Some("2")),
            (Some("3"), Some("2"))
        ],
        "three pages of two, then stop at pageCount"
    );
    let links: Vec<_> = requests
        .iter()
        .filter(|request| request.param("Method") == Some("generateTrackingLink"))
        .collect();
    assert_eq!(links.len(), 5, "one link per offer");
    assert!(links.iter().all(|request| {
        request.param("Target") == Some("Offer") && request.param("affiliate_id") == Some("3")
    }));
    assert!(requests.iter().all(|request| {
        request.key_name.as_deref() == Some("NetworkToken") && request.key_accepted
    }));
}

#[tokio::test]
async fn the_affiliate_api_is_used_without_an_affiliate_id() {
    let tune = FakeTune::start(KEY);
    tune.set_offers(five_offers());
    tune.set_offer_rows(RowShape::List);
    let client = TuneClient::new(tune_affiliate(&tune), options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    assert_eq!(sweep.offers.len(), 5, "rows as a list read too");
    assert_eq!(
        offer(&sweep, "531").tracking_url,
        "https://trk.example.com/aff_c?offer_id=531&aff_sub={click_id}"
    );
    let requests = tune.requests();
    assert!(requests.iter().all(|request| {
        request.key_name.as_deref() == Some("api_key")
            && request.param("Target") == Some("Affiliate_Offer")
            && request.param("affiliate_id").is_none()
    }));
}

#[tokio::test]
async fn string_and_number_fields_map_and_unlinkable_offers_are_skipped() {
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![
        TuneOffer::new(1, "Per click")
            .with("payout_type", "cpc")
            .with("default_payout", 0.25),
        TuneOffer::new(2, "Expired").with("is_expired", 1),
        TuneOffer::new(3, "Private").without_link("Affiliate is not approved for this offer"),
        TuneOffer::new(4, "Percent")
            .with("payout_type", "cpa_percentage")
            .with("percent_payout", "10.00")
            .with("status", "pending"),
        TuneOffer::new(5, "Negative").with("default_payout", "-1.00000"),
        TuneOffer::new(6, "Own link").link("https://trk.example.com/c?o=6#frag"),
    ]);
    let settings = trackly_sync::ConnectionSettings {
        message_id_field: MessageIdField::AffSub3,
        ..tune_network(&tune, KEY)
    };
    let client = TuneClient::new(settings, options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    let per_click = offer(&sweep, "1");
    assert_eq!(per_click.payout_type, PayoutType::Cpc);
    assert_eq!(per_click.payout.to_string(), "0.25");
    assert!(per_click.tracking_url.ends_with("&aff_sub3={click_id}"));
    assert_eq!(offer(&sweep, "2").status, OfferStatus::Archived);
    let percent = offer(&sweep, "4");
    assert_eq!(percent.payout.to_string(), "0");
    assert_eq!(percent.status, OfferStatus::Paused);
    assert_eq!(
        percent
            .metadata
            .get("tune.percent_payout")
            .map(String::as_str),
        Some("10.00")
    );
    assert_eq!(
        offer(&sweep, "6").tracking_url,
        "https://trk.example.com/c?o=6&aff_sub3={click_id}#frag"
    );
    let skipped: Vec<(Option<&str>, &str)> = sweep
        .skipped
        .iter()
        .map(|skip| (skip.external_id.as_deref(), skip.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                Some("3"),
                "TUNE made no tracking link: Affiliate is not approved for this offer"
            ),
            (Some("5"), "default_payout \"-1.00000\" is negative"),
        ],
        "never a fallback to offer_url"
    );
}

#[tokio::test]
async fn an_empty_list_is_one_request_and_no_offers() {
    let tune = FakeTune::start(KEY);
    let client = TuneClient::new(tune_network(&tune, KEY), options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    assert_eq!(sweep, OfferSweep::default());
    assert_eq!(tune.requests().len(), 1, "pageCount 0 ends the paging");
}

#[tokio::test]
async fn a_changed_payout_shows_in_the_next_sweep() {
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![TuneOffer::new(532, "Bingo")]);
    let client = TuneClient::new(tune_network(&tune, KEY), options()).expect("a client");
    let first = client.offers().await.expect("the first sweep");

    tune.set_offers(vec![TuneOffer::new(532, "Bingo")
        .with("default_payout", "3.12345")
        .with("status", "paused")]);
    let second = client.offers().await.expect("the second sweep");

    assert_eq!(offer(&first, "532").payout.to_string(), "2");
    assert_eq!(
        offer(&second, "532").payout.to_string(),
        "3.1234",
        "half-even to 4 digits"
    );
    assert_eq!(offer(&second, "532").status, OfferStatus::Paused);
}
