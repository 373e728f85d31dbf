//! TUNE conversions: every page, the window in the connection's zone, both APIs.

use trackly_fake_platforms::{FakeTune, RowShape, TuneConversion};
use trackly_sync::{ConnectionSettings, ConversionStatus, MessageIdField, TuneClient, Tz};

use crate::helpers::{at, options, tune_affiliate, tune_network, KEY};

fn march_conversions() -> Vec<TuneConversion> {
    vec![
        TuneConversion::new("ev-1", 532, "2026-03-01 10:00:00", "approved", "2.00000")
            .stat("ad_id", "102f1c3e5a9b7d")
            .stat("affiliate_info1", "664f1a2b3c4d5e6f7a8b9c0d"),
        TuneConversion::new("ev-2", 532, "2026-03-02 11:00:00", "pending", "1.50005")
            .mobile("affiliate_click_id", "664f1a2b3c4d5e6f7a8b9c0e"),
        TuneConversion::new("ev-3", 533, "2026-03-03 12:00:00", "rejected", "4.00000"),
        TuneConversion::new("ev-4", 533, "2026-03-04 13:00:00", "approved", "-1.00000"),
        TuneConversion::new("ev-5", 534, "2026-03-05 14:00:00", "approved", "7.00000"),
        TuneConversion::new("late", 534, "2026-03-09 00:00:00", "approved", "9.00000"),
    ]
}

#[tokio::test]
async fn every_page_of_the_window_is_read_and_mapped() {
    let tune = FakeTune::start(KEY);
    tune.set_conversions(march_conversions());
    let client = TuneClient::new(tune_network(&tune, KEY), options()).expect("a client");

    let sweep = client
        .conversions(at("2026-03-01T00:00:00Z"), at("2026-03-08T00:00:00Z"))
        .await
        .expect("the conversions");

    let ids: Vec<&str> = sweep
        .conversions
        .iter()
        .map(|c| c.txn_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["tune:ev-1", "tune:ev-2", "tune:ev-3", "tune:ev-5"],
        "outside the window: none"
    );
    let first = &sweep.conversions[0];
    assert_eq!(first.status, ConversionStatus::Approved);
    assert_eq!(first.revenue.to_string(), "2");
    assert_eq!(first.occurred_at, at("2026-03-01T10:00:00Z"));
    assert_eq!(first.click_id_candidates, ["102f1c3e5a9b7d"]);
    assert_eq!(
        first.message_field_value.as_deref(),
        Some("664f1a2b3c4d5e6f7a8b9c0d")
    );
    assert_eq!(first.offer_external_id.as_deref(), Some("532"));
    let second = &sweep.conversions[1];
    assert_eq!(second.status, ConversionStatus::Pending);
    assert_eq!(
        second.revenue.to_string(),
        "1.5",
        "half-even: 1.50005 → 1.5000"
    );
    assert_eq!(second.click_id_candidates, ["664f1a2b3c4d5e6f7a8b9c0e"]);
    assert_eq!(sweep.conversions[2].status, ConversionStatus::Rejected);
    assert_eq!(sweep.skipped.len(), 1);
    assert_eq!(sweep.skipped[0].conversion_id.as_deref(), Some("ev-4"));
    assert_eq!(sweep.skipped[0].reason, "payout \"-1.00000\" is negative");

    let requests = tune.requests();
    let pages: Vec<Option<&str>> = requests
        .iter()
        .map(|request| request.param("page"))
        .collect();
    assert_eq!(
        pages,
        [Some("1"), Some("2"), Some("3")],
        "five rows in pages of two"
    );
    let request = &requests[0];
    assert_eq!(request.param("Target"), Some("Report"));
    assert_eq!(request.param("Method"), Some("getConversions"));
    assert_eq!(
        request.param("filters[Stat.datetime][conditional]"),
        Some("BETWEEN")
    );
    assert_eq!(
        request.params("filters[Stat.datetime][values][]"),
        ["2026-03-01 00:00:00", "2026-03-08 00:00:00"]
    );
    assert!(request.params("fields[]").contains(&"Stat.affiliate_info1"));
}

#[tokio::test]
async fn times_are_read_and_the_window_written_in_the_connection_zone() {
    let tune = FakeTune::start(KEY);
    tune.set_conversions(march_conversions());
    tune.set_report_rows(RowShape::KeyedById);
    let settings = ConnectionSettings {
        timezone: Tz::America__New_York,
        ..tune_network(&tune, KEY)
    };
    let client = TuneClient::new(settings, options()).expect("a client");

    let sweep = client
        .conversions(at("2026-03-01T15:00:00Z"), at("2026-03-02T17:00:00Z"))
        .await
        .expect("the conversions");

    let request = &tune.requests()[0];
    assert_eq!(
        request.params("filters[Stat.datetime][values][]"),
        ["2026-03-01 10:00:00", "2026-03-02 12:00:00"],
        "the window in New York time"
    );
    let times: Vec<_> = sweep.conversions.iter().map(|c| c.occurred_at).collect();
    assert_eq!(
        times,
        [at("2026-03-01T15:00:00Z"), at("2026-03-02T16:00:00Z")],
        "New York wall-clock time read back as UTC, rows keyed by id"
    );
}

#[tokio::test]
async fn the_affiliate_api_reads_conversion_status_and_approved_payout() {
    let tune = FakeTune::start(KEY);
    tune.set_conversions(vec![TuneConversion::new(
        "ev-1",
        532,
        "2026-03-01 10:00:00",
        "approved",
        "2.00000",
    )
    .stat("approved_payout", "1.75000")
    .mobile("affiliate_unique2", "664f1a2b3c4d5e6f7a8b9c0d")]);
    let settings = ConnectionSettings {
        message_id_field: MessageIdField::AffiliateUnique2,
        ..tune_affiliate(&tune)
    };
    let client = TuneClient::new(settings, options()).expect("a client");

    let sweep = client
        .conversions(at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"))
        .await
        .expect("the conversions");

    assert_eq!(sweep.conversions.len(), 1, "{sweep:?}");
    let conversion = &sweep.conversions[0];
    assert_eq!(conversion.status, ConversionStatus::Approved);
    assert_eq!(conversion.revenue.to_string(), "1.75");
    assert_eq!(
        conversion.message_field_value.as_deref(),
        Some("664f1a2b3c4d5e6f7a8b9c0d")
    );
    let request = &tune.requests()[0];
    assert_eq!(request.param("Target"), Some("Affiliate_Report"));
    assert!(request
        .params("fields[]")
        .contains(&"Stat.conversion_status"));
}
