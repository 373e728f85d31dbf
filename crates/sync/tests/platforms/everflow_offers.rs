//! Everflow offers: every page, a link per offer, payout entries in either place.

use trackly_domain::offer::{ExternalPlatform, OfferStatus, PayoutType};
use trackly_fake_platforms::{EverflowOffer, FakeEverflow};
use trackly_sync::{ConnectionSettings, EverflowClient, PlatformError};

use crate::helpers::{everflow, offer, options, KEY};

#[tokio::test]
async fn every_page_is_read_and_each_offer_linked() {
    let fake = FakeEverflow::start(KEY);
    fake.set_offers(vec![
        EverflowOffer::new(77, "Acme Offer"),
        EverflowOffer::new(78, "Top-level payout")
            .payout("cpa", "7.25")
            .payout_at_top_level(),
        EverflowOffer::new(79, "Per click").payout("cpc", "0.3"),
        EverflowOffer::new(80, "Deleted").with("offer_status", "deleted"),
        EverflowOffer::new(81, "Not runnable").without_link("Affiliate cannot run this offer"),
    ]);
    let client = EverflowClient::new(everflow(&fake, KEY), options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    let acme = offer(&sweep, "77");
    assert_eq!(acme.external_platform, ExternalPlatform::Everflow);
    assert_eq!(acme.name, "Acme Offer");
    assert_eq!(acme.payout.to_string(), "5", "nested under relationship");
    assert_eq!(acme.payout_type, PayoutType::Cpa);
    assert_eq!(acme.status, OfferStatus::Active);
    assert_eq!(acme.advertiser_id.as_deref(), Some("42"));
    assert_eq!(
        acme.tracking_url,
        "https://www.trk.example.com/77/7/?sub1={click_id}"
    );
    assert_eq!(
        acme.metadata
            .get("everflow.revenue_amount")
            .map(String::as_str),
        Some("10.0")
    );
    assert_eq!(
        offer(&sweep, "78").payout.to_string(),
        "7.25",
        "top-level entries"
    );
    assert_eq!(offer(&sweep, "79").payout_type, PayoutType::Cpc);
    assert_eq!(offer(&sweep, "80").status, OfferStatus::Archived);
    assert_eq!(sweep.skipped.len(), 1);
    assert_eq!(sweep.skipped[0].external_id.as_deref(), Some("81"));
    assert_eq!(
        sweep.skipped[0].reason,
        "Everflow made no tracking link: Affiliate cannot run this offer"
    );

    let requests = fake.requests();
    let pages: Vec<(Option<&str>, Option<&str>, Option<&str>)> = requests
        .iter()
        .filter(|request| request.path == "/v1/networks/offers")
        .map(|request| {
            (
                request.param("page"),
                request.param("page_size"),
                request.param("relationship"),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            (Some("1"), Some("2"), Some("payout_revenue")),
            (Some("2"), Some("2"), Some("payout_revenue")),
            (Some("3"), Some("2"), Some("payout_revenue")),
        ],
        "5 offers: stop when page * page_size >= total_count"
    );
    let link_bodies: Vec<_> = requests
        .iter()
        .filter(|request| request.path == "/v1/networks/tracking/offers/clicks")
        .map(|request| request.body.clone())
        .collect();
    assert_eq!(link_bodies.len(), 5);
    assert_eq!(
        link_bodies[0],
        Some(serde_json::json!({"network_offer_id": 77, "network_affiliate_id": 7}))
    );
    assert!(requests.iter().all(|request| request.key_accepted));
}

#[tokio::test]
async fn the_link_is_read_from_tracking_url_when_url_is_absent() {
    let fake = FakeEverflow::start(KEY);
    fake.set_offers(vec![
        EverflowOffer::new(77, "Acme").link("https://trk.example.com/x?a=1")
    ]);
    fake.set_link_field("tracking_url");
    let client = EverflowClient::new(everflow(&fake, KEY), options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    assert_eq!(
        offer(&sweep, "77").tracking_url,
        "https://trk.example.com/x?a=1&sub1={click_id}"
    );
}

#[tokio::test]
async fn a_short_page_ends_the_list_when_paging_is_not_reported() {
    let fake = FakeEverflow::start(KEY);
    fake.set_offers((1..=3).map(|n| EverflowOffer::new(n, "Offer")).collect());
    fake.set_paging_reported(false);
    let client = EverflowClient::new(everflow(&fake, KEY), options()).expect("a client");

    let sweep = client.offers().await.expect("the offers");

    assert_eq!(sweep.offers.len(), 3);
    let list_requests = fake
        .requests()
        .iter()
        .filter(|request| request.path == "/v1/networks/offers")
        .count();
    assert_eq!(list_requests, 2, "a page of 2, then a short page of 1");
}

#[tokio::test]
async fn offers_need_the_affiliate_id_before_any_request() {
    let fake = FakeEverflow::start(KEY);
    let settings = ConnectionSettings {
        affiliate_id: None,
        ..everflow(&fake, KEY)
    };
    let client = EverflowClient::new(settings, options()).expect("a client");

    let error = client.offers().await.expect_err("no affiliate id");

    assert_eq!(
        error,
        PlatformError::Setup(
            "an Everflow connection needs its affiliate_id to generate tracking links".to_owned()
        )
    );
    assert!(fake.requests().is_empty());
}
