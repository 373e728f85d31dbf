//! Everflow conversions: every page, the report body, events left out.

use trackly_fake_platforms::{EverflowConversion, FakeEverflow};
use trackly_sync::{ConversionStatus, EverflowClient};

use crate::helpers::{at, everflow, options, KEY};

#[tokio::test]
async fn every_page_of_the_window_is_read_and_mapped() {
    let fake = FakeEverflow::start(KEY);
    let march_2 = at("2026-03-02T00:00:00Z").timestamp();
    fake.set_conversions(vec![
        EverflowConversion::new("c1", 77, march_2, "approved", "5.0")
            .with("transaction_id", "a8f3c2e4b1d94e0f")
            .with("sub1", "664f1a2b3c4d5e6f7a8b9c0d"),
        EverflowConversion::new("c2", 77, march_2 + 60, "pending", "0.1"),
        EverflowConversion::new("c3", 78, march_2 + 120, "rejected", "25.5"),
        EverflowConversion::new("c4", 78, march_2 + 180, "approved", "-5.0"),
        EverflowConversion::new("c5", 78, march_2 + 240, "approved", "1.00005"),
        EverflowConversion::new("event", 78, march_2 + 300, "approved", "1.0")
            .with("is_event", true),
        EverflowConversion::new("late", 78, march_2 + 86_400 * 10, "approved", "1.0"),
    ]);
    let client = EverflowClient::new(everflow(&fake, KEY), options()).expect("a client");

    let sweep = client
        .conversions(at("2026-03-01T00:00:00Z"), at("2026-03-08T00:00:00Z"))
        .await
        .expect("the conversions");

    let found: Vec<(&str, String)> = sweep
        .conversions
        .iter()
        .map(|c| (c.txn_id.as_str(), c.revenue.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("everflow:c1", "5".to_owned()),
            ("everflow:c2", "0.1".to_owned()),
            ("everflow:c3", "25.5".to_owned()),
            ("everflow:c5", "1".to_owned()),
        ],
        "amounts exact, rounded half-even; no events; nothing outside the window"
    );
    let first = &sweep.conversions[0];
    assert_eq!(first.status, ConversionStatus::Approved);
    assert_eq!(first.occurred_at, at("2026-03-02T00:00:00Z"));
    assert_eq!(first.click_id_candidates, ["a8f3c2e4b1d94e0f"]);
    assert_eq!(
        first.message_field_value.as_deref(),
        Some("664f1a2b3c4d5e6f7a8b9c0d")
    );
    assert_eq!(first.offer_external_id.as_deref(), Some("77"));
    assert!(!first.is_event);
    assert_eq!(sweep.conversions[2].status, ConversionStatus::Rejected);
    assert_eq!(sweep.skipped.len(), 1);
    assert_eq!(sweep.skipped[0].reason, "payout \"-5.0\" is negative");

    let requests = fake.requests();
    let pages: Vec<Option<&str>> = requests
        .iter()
        .map(|request| request.param("page"))
        .collect();
    assert_eq!(
        pages,
        [Some("1"), Some("2"), Some("3")],
        "five rows in pages of two"
    );
    assert!(requests
        .iter()
        .all(|request| request.param("page_size") == Some("2")));
    assert_eq!(
        requests[0].body,
        Some(serde_json::json!({
            "from": "2026-03-01 00:00:00", "to": "2026-03-08 00:00:00", "timezone_id": 67,
            "show_conversions": true, "show_events": false,
            "query": {"filters": [], "search_terms": []}
        }))
    );
}
