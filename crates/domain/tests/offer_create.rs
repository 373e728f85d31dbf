//! SPEC §3.1: every row of the create check table, in order, and the defaults.

use serde_json::{json, Map, Value};
use trackly_domain::offer::{ExternalPlatform, OfferInput, OfferStatus, PayoutType};
use trackly_domain::{InputError, NewOffer};

/// Reads a body as the API does and runs the create checks.
fn create(body: &Map<String, Value>) -> Result<NewOffer, InputError> {
    let input: OfferInput =
        serde_json::from_value(Value::Object(body.clone())).expect("any object reads");
    NewOffer::try_from(input)
}

fn body(value: Value) -> Map<String, Value> {
    value.as_object().expect("test bodies are objects").clone()
}

fn valid() -> Value {
    json!({"name": "Summer Promo", "tracking_url": "https://adv.example.com/c?id={click_id}"})
}

fn with(field: &str, value: Value) -> Map<String, Value> {
    let mut map = body(valid());
    map.insert(field.to_owned(), value);
    map
}

fn without(field: &str) -> Map<String, Value> {
    let mut map = body(valid());
    map.remove(field);
    map
}

#[test]
fn each_check_of_the_create_table_reports_its_code() {
    let cases: Vec<(Map<String, Value>, &str, &str)> = vec![
        (without("name"), "missing_name", "1: name absent"),
        (with("name", Value::Null), "missing_name", "1: name null"),
        (
            with("name", json!("   ")),
            "missing_name",
            "1: name empty after trimming",
        ),
        (
            without("tracking_url"),
            "missing_tracking_url",
            "2: tracking_url absent",
        ),
        (
            with("tracking_url", Value::Null),
            "missing_tracking_url",
            "2: tracking_url null",
        ),
        (
            with("tracking_url", json!("")),
            "missing_tracking_url",
            "2: tracking_url empty",
        ),
        (with("name", json!(42)), "invalid_name", "3: name a number"),
        (
            with("name", json!(["a"])),
            "invalid_name",
            "3: name an array",
        ),
        (
            with("name", json!("n".repeat(256))),
            "name_too_long",
            "4: 256 characters",
        ),
        (
            with("tracking_url", json!("ftp://x.example")),
            "invalid_tracking_url",
            "5: not http(s)",
        ),
        (
            with("tracking_url", json!("/relative")),
            "invalid_tracking_url",
            "5: relative",
        ),
        (
            with("tracking_url", json!(7)),
            "invalid_tracking_url",
            "5: not a string",
        ),
        (
            with(
                "tracking_url",
                json!(format!("https://x.example/{}", "a".repeat(2040))),
            ),
            "invalid_tracking_url",
            "5: over 2048 characters",
        ),
        (
            with("external_platform", json!("cake")),
            "invalid_external_platform",
            "6: unknown",
        ),
        (
            with("external_platform", json!(1)),
            "invalid_external_platform",
            "6: number",
        ),
        (
            with("payout_type", json!("cpm")),
            "invalid_payout_type",
            "7: unknown",
        ),
        (
            with("status", json!("archived")),
            "invalid_status",
            "8: archived on create",
        ),
        (
            with("status", json!("live")),
            "invalid_status",
            "8: unknown",
        ),
        (with("payout", json!(-1)), "invalid_payout", "9: negative"),
        (
            with("payout", json!(1.23456)),
            "invalid_payout",
            "9: five decimals",
        ),
        (
            with("payout", json!(1_000_000_001)),
            "invalid_payout",
            "9: over the maximum",
        ),
        (with("payout", json!("abc")), "invalid_payout", "9: text"),
        (
            with("filter_bots", json!("true")),
            "invalid_filter_bots",
            "10: string",
        ),
        (
            with("filter_bots", json!(1)),
            "invalid_filter_bots",
            "10: number",
        ),
        (
            with("metadata", json!({"k": 1})),
            "invalid_metadata",
            "11: number value",
        ),
        (
            with("metadata", json!("x")),
            "invalid_metadata",
            "11: not an object",
        ),
        (
            with("external_id", json!(12)),
            "invalid_external_id",
            "12: number",
        ),
        (
            with("external_id", json!("e".repeat(256))),
            "invalid_external_id",
            "12: too long",
        ),
        (
            with("advertiser_id", json!(true)),
            "invalid_advertiser_id",
            "12: boolean",
        ),
        (
            with("advertiser_id", json!("a".repeat(256))),
            "invalid_advertiser_id",
            "12: too long",
        ),
    ];
    for (input, code, description) in cases {
        let error = create(&input).expect_err(description);
        assert_eq!(error.code(), code, "{description}");
        assert!(error.field().is_some(), "{description}: a field is named");
    }
}

#[test]
fn the_first_failing_check_wins() {
    let cases = [
        (json!({}), "missing_name", "1 before 2"),
        (json!({"name": 5}), "missing_tracking_url", "2 before 3"),
        (
            json!({"name": 5, "tracking_url": "bad"}),
            "invalid_name",
            "3 before 5",
        ),
        (
            json!({"name": "n".repeat(300), "tracking_url": "bad"}),
            "name_too_long",
            "4 before 5",
        ),
        (
            json!({"name": "a", "tracking_url": "bad", "external_platform": "x"}),
            "invalid_tracking_url",
            "5 before 6",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "external_platform": "x", "payout_type": "x"}),
            "invalid_external_platform",
            "6 before 7",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "payout_type": "x", "status": "x"}),
            "invalid_payout_type",
            "7 before 8",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "status": "x", "payout": -1}),
            "invalid_status",
            "8 before 9",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "payout": -1, "filter_bots": 1}),
            "invalid_payout",
            "9 before 10",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "filter_bots": 1, "metadata": 1}),
            "invalid_filter_bots",
            "10 before 11",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "metadata": 1, "external_id": 1}),
            "invalid_metadata",
            "11 before 12",
        ),
        (
            json!({"name": "a", "tracking_url": "https://a.b", "external_id": 1, "advertiser_id": 1}),
            "invalid_external_id",
            "external_id before advertiser_id",
        ),
    ];
    for (input, code, description) in cases {
        let error = create(&body(input)).expect_err(description);
        assert_eq!(error.code(), code, "{description}");
    }
}

#[test]
fn documentation_example_parses_with_every_field_as_sent() {
    let offer = create(&body(json!({
        "name": "Summer Promo",
        "tracking_url": "https://advertiser.example.com/track?click={click_id}",
        "external_platform": "tune",
        "external_id": "1234",
        "payout": 2.50,
        "metadata": {"vertical": "ecommerce", "geo": "US"}
    })))
    .expect("valid");
    assert_eq!(offer.name.as_str(), "Summer Promo");
    assert_eq!(offer.external_platform, Some(ExternalPlatform::Tune));
    assert_eq!(offer.external_id.as_deref(), Some("1234"));
    assert_eq!(offer.payout.value().to_string(), "2.5");
    assert_eq!(offer.metadata.entries().len(), 2);
}

#[test]
fn defaults_fill_fields_not_sent_or_sent_as_null() {
    for input in [
        valid(),
        json!({"name": "a", "tracking_url": "https://a.b", "payout": null, "payout_type": null,
               "status": null, "filter_bots": null, "metadata": null, "external_platform": null}),
    ] {
        let offer = create(&body(input)).expect("valid");
        assert_eq!(offer.payout.value().to_string(), "0");
        assert_eq!(offer.payout_type, PayoutType::Cpa);
        assert_eq!(offer.status, OfferStatus::Active);
        assert!(!offer.filter_bots);
        assert!(offer.metadata.entries().is_empty());
        assert_eq!(offer.external_platform, None);
        assert_eq!(offer.external_id, None);
    }
}

#[test]
fn name_is_trimmed_and_unknown_fields_are_ignored() {
    let mut input = with("name", json!("  Spaced  "));
    input.insert("id".to_owned(), json!("ignored"));
    input.insert("whatever".to_owned(), json!({"x": 1}));
    let offer = create(&input).expect("valid");
    assert_eq!(offer.name.as_str(), "Spaced");
}
