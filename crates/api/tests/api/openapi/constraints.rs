//! The document's declared constraints are the domain's (SPEC §13): every limit and
//! enumeration read from `trackly_domain`, never a literal, and every pattern checked
//! against the rule it describes.

use regex::Regex;
use reqwest::Method;
use serde_json::Value;
use trackly_domain::api_key::is_valid_idempotency_key;
use trackly_domain::money::{MAX_AMOUNT_UNITS, MAX_FRACTION_DIGITS};
use trackly_domain::offer::{
    ExternalPlatform, OfferStatus, PayoutType, EXTERNAL_REF_MAX_CHARS, METADATA_KEY_MAX_CHARS,
    METADATA_MAX_KEYS, METADATA_VALUE_MAX_CHARS, NAME_MAX_CHARS, TRACKING_URL_MAX_CHARS,
};
use trackly_domain::query::{DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_SEARCH_CHARS};
use trackly_domain::revenue::{
    parse_timestamp, AttributionType, EventType, MAX_BULK_RECORDS, MESSAGE_ID_MAX_CHARS,
    TXN_ID_MAX_CHARS,
};
use trackly_domain::Amount;

use crate::helpers::TestApp;

async fn document() -> Value {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/api/v2/openapi.json")
        .send()
        .await
        .expect("request");
    response.json().await.expect("json")
}

/// Follows `$ref`s to the schema they name.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().expect("a schema name");
            resolve(document, &document["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// The schema of `property` in a component, looking through `allOf`.
fn property<'a>(document: &'a Value, component: &str, property: &str) -> &'a Value {
    let schema = resolve(document, &document["components"]["schemas"][component]);
    let found = schema["properties"].get(property).or_else(|| {
        schema["allOf"]
            .as_array()?
            .iter()
            .find_map(|part| part["properties"].get(property))
    });
    found.unwrap_or_else(|| panic!("{component}.{property} is declared"))
}

/// The branch of a `oneOf` (or the schema itself) whose `type` is `kind`.
fn branch<'a>(schema: &'a Value, kind: &str) -> &'a Value {
    let matches = |candidate: &Value| {
        candidate["type"] == kind
            || candidate["type"]
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t == kind))
    };
    if matches(schema) {
        return schema;
    }
    schema["oneOf"]
        .as_array()
        .and_then(|branches| branches.iter().find(|candidate| matches(candidate)))
        .unwrap_or_else(|| panic!("a {kind} branch in {schema}"))
}

/// An operation's parameter by name.
fn parameter<'a>(document: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    document["paths"][path][method]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|parameter| parameter["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} declares {name}"))
}

fn pattern(schema: &Value) -> Regex {
    Regex::new(schema["pattern"].as_str().expect("a pattern")).expect("a valid regex")
}

fn strings(schema: &Value) -> Vec<&str> {
    schema["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("an enum in {schema}"))
        .iter()
        .map(|value| value.as_str().expect("a string"))
        .collect()
}

fn wire<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|value| name(*value)).collect()
}

fn max_length(schema: &Value) -> usize {
    schema["maxLength"]
        .as_u64()
        .and_then(|max| usize::try_from(max).ok())
        .unwrap_or_else(|| panic!("a maxLength in {schema}"))
}

#[tokio::test]
async fn offer_fields_declare_the_domain_limits() {
    let document = document().await;
    for component in ["OfferCreateRequest", "OfferUpdateRequest"] {
        let name = pattern(branch(property(&document, component, "name"), "string"));
        let longest = "é".repeat(NAME_MAX_CHARS);
        assert!(name.is_match(&longest), "{component}: the longest name");
        assert!(
            name.is_match(&format!("  {longest}\t")),
            "{component}: trimmed first"
        );
        assert!(
            !name.is_match(&"é".repeat(NAME_MAX_CHARS + 1)),
            "{component}: too long"
        );
        assert!(!name.is_match(" \t "), "{component}: blank");
        assert!(!name.is_match("a\0b"), "{component}: NUL");

        let url = branch(property(&document, component, "tracking_url"), "string");
        assert_eq!(max_length(url), TRACKING_URL_MAX_CHARS, "{component}");
        assert!(pattern(url).is_match("https://advertiser.com/track?click={click_id}"));
        assert!(!pattern(url).is_match("ftp://advertiser.com/"));

        for reference in ["external_id", "advertiser_id"] {
            let schema = branch(property(&document, component, reference), "string");
            assert_eq!(
                max_length(schema),
                EXTERNAL_REF_MAX_CHARS,
                "{component}.{reference}"
            );
        }
        let platform = branch(
            property(&document, component, "external_platform"),
            "string",
        );
        assert_eq!(
            strings(platform),
            wire(ExternalPlatform::ALL, ExternalPlatform::as_str)
        );
        let payout_type = branch(property(&document, component, "payout_type"), "string");
        assert_eq!(
            strings(payout_type),
            wire(PayoutType::ALL, PayoutType::as_str)
        );

        let metadata = branch(property(&document, component, "metadata"), "object");
        assert_eq!(metadata["maxProperties"], METADATA_MAX_KEYS, "{component}");
        assert_eq!(
            max_length(&metadata["propertyNames"]),
            METADATA_KEY_MAX_CHARS
        );
        let value = branch(&metadata["additionalProperties"], "string");
        assert_eq!(max_length(value), METADATA_VALUE_MAX_CHARS, "{component}");

        check_amount(property(&document, component, "payout"));
    }
    let create_status = branch(
        property(&document, "OfferCreateRequest", "status"),
        "string",
    );
    assert_eq!(
        strings(create_status),
        [OfferStatus::Active.as_str(), OfferStatus::Paused.as_str()]
    );
    let update_status = branch(
        property(&document, "OfferUpdateRequest", "status"),
        "string",
    );
    assert_eq!(
        strings(update_status),
        wire(OfferStatus::ALL, OfferStatus::as_str)
    );
}

/// An amount: the number's bounds and the string's pattern are SPEC §1.8's.
fn check_amount(amount: &Value) {
    let number = branch(amount, "number");
    assert_eq!(number["minimum"], 0);
    assert_eq!(number["maximum"], MAX_AMOUNT_UNITS);
    let step = number["multipleOf"].as_f64().expect("multipleOf");
    let digits = i32::try_from(MAX_FRACTION_DIGITS).expect("few digits");
    assert!((step - 10f64.powi(-digits)).abs() < f64::EPSILON);
    let text = pattern(branch(amount, "string"));
    let max = MAX_AMOUNT_UNITS.to_string();
    let finest = format!("0.{}1", "0".repeat(MAX_FRACTION_DIGITS as usize - 1));
    let too_fine = format!("0.{}1", "0".repeat(MAX_FRACTION_DIGITS as usize));
    for (sample, ok) in [
        (max.clone(), true),
        (format!("{max}.000"), true),
        (format!("{max}.{}", &finest[2..]), false),
        (finest.clone(), true),
        (format!("{finest}000"), true),
        (too_fine.clone(), false),
        ("2.50".to_owned(), true),
        ("-1".to_owned(), false),
        ("1e3".to_owned(), false),
        (".5".to_owned(), false),
    ] {
        let accepted = Amount::from_text(&trackly_domain::input::AmountText::Text(sample.clone()));
        assert_eq!(text.is_match(&sample), ok, "pattern on {sample}");
        assert_eq!(accepted.is_some(), ok, "the rule on {sample}");
    }
}

#[tokio::test]
async fn revenue_fields_declare_the_domain_limits() {
    let document = document().await;
    let record = "RevenueRecordRequest";
    let message_id = branch(property(&document, record, "message_id"), "string");
    assert_eq!(max_length(message_id), MESSAGE_ID_MAX_CHARS);
    let txn_id = branch(property(&document, record, "txn_id"), "string");
    assert_eq!(max_length(txn_id), TXN_ID_MAX_CHARS);
    let event_type = branch(property(&document, record, "event_type"), "string");
    assert_eq!(strings(event_type), wire(EventType::ALL, EventType::as_str));
    let attribution = branch(property(&document, record, "attribution_type"), "string");
    assert_eq!(
        strings(attribution),
        wire(AttributionType::ALL, AttributionType::as_str)
    );
    check_amount(property(&document, record, "revenue"));

    let timestamp = pattern(branch(property(&document, record, "timestamp"), "string"));
    for sample in [
        "2026-01-10T12:30:00Z",
        "2026-01-10t12:30:00.250+02:00",
        "2026-01-10 12:30:00-05:30",
        "2026-01-10T12:30:00",
        "2024-02-29T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-01-10T24:00:00Z",
        "2026-01-10 12:30:00",
        "0000-01-01T00:00:00Z",
        "2026-01-10",
    ] {
        assert_eq!(
            timestamp.is_match(sample),
            parse_timestamp(sample).is_some(),
            "the pattern and the rule agree on {sample}"
        );
    }

    let records = property(&document, "RevenueBulkRequest", "records");
    assert_eq!(records["minItems"], 1);
    assert_eq!(records["maxItems"], MAX_BULK_RECORDS);
}

#[tokio::test]
async fn parameters_declare_the_domain_limits() {
    let document = document().await;
    for path in ["/api/v2/offers", "/api/v2/revenue", "/api/v2/stats/offers"] {
        let page = &parameter(&document, path, "get", "page")["schema"];
        assert_eq!(page["type"], "integer");
        assert_eq!(page["minimum"], 1);
        let per_page = &parameter(&document, path, "get", "per_page")["schema"];
        assert_eq!(per_page["minimum"], 1);
        assert_eq!(per_page["default"], DEFAULT_PER_PAGE);
    }
    let served = property(&document, "PaginationView", "per_page");
    assert_eq!(
        served["maximum"], MAX_PER_PAGE,
        "a page holds at most this many"
    );

    let offers = "/api/v2/offers";
    let status = &parameter(&document, offers, "get", "status")["schema"];
    assert_eq!(strings(status), wire(OfferStatus::ALL, OfferStatus::as_str));
    let q = &parameter(&document, offers, "get", "q")["schema"];
    assert_eq!(max_length(q), MAX_SEARCH_CHARS);
    let platform = &parameter(&document, offers, "get", "external_platform")["schema"];
    assert_eq!(
        strings(platform),
        wire(ExternalPlatform::ALL, ExternalPlatform::as_str)
    );
    for reference in ["external_id", "advertiser_id"] {
        let schema = &parameter(&document, offers, "get", reference)["schema"];
        assert_eq!(max_length(schema), EXTERNAL_REF_MAX_CHARS, "{reference}");
    }
    let event_type = &parameter(&document, "/api/v2/revenue", "get", "event_type")["schema"];
    assert_eq!(strings(event_type), wire(EventType::ALL, EventType::as_str));

    let key = &parameter(&document, offers, "post", "Idempotency-Key")["schema"];
    let key_pattern = pattern(key);
    for sample in [
        "a".to_owned(),
        "k".repeat(255),
        "k".repeat(256),
        String::new(),
        "with space".to_owned(),
        "tab\t".to_owned(),
        "é".to_owned(),
        "~!{}".to_owned(),
    ] {
        assert_eq!(
            key_pattern.is_match(&sample),
            is_valid_idempotency_key(&sample),
            "the pattern and the rule agree on {sample:?}"
        );
    }
}
