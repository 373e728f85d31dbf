//! Property tests: any request body either parses or yields exactly one SPEC code, and
//! nothing panics.

use proptest::prelude::*;
use serde_json::{Map, Value};
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::slug::{code_of_slug, slug_name_part};
use trackly_domain::{NewOffer, OfferPatch};

const CREATE_CODES: &[&str] = &[
    "missing_name",
    "missing_tracking_url",
    "invalid_name",
    "name_too_long",
    "invalid_tracking_url",
    "invalid_external_platform",
    "invalid_payout_type",
    "invalid_status",
    "invalid_payout",
    "invalid_filter_bots",
    "invalid_metadata",
    "invalid_external_id",
    "invalid_advertiser_id",
];

const FIELDS: &[&str] = &[
    "name",
    "tracking_url",
    "external_platform",
    "external_id",
    "advertiser_id",
    "payout",
    "payout_type",
    "filter_bots",
    "status",
    "metadata",
    "other",
];

/// Arbitrary JSON, biased toward values that are nearly valid for some field.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        (0u32..2_000_000_000, 0u32..100_000)
            .prop_map(|(whole, frac)| Value::from(format!("{whole}.{frac}"))),
        prop_oneof![
            Just("tune"),
            Just("everflow"),
            Just("cpa"),
            Just("cpc"),
            Just("active"),
            Just("paused"),
            Just("archived"),
            Just(""),
            Just("https://example.com/x?c={click_id}"),
            Just("http://"),
            Just("ftp://example.com"),
        ]
        .prop_map(Value::from),
        ".{0,300}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,45}", inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((prop::sample::select(FIELDS), json_value()), 0..12)
        .prop_map(|pairs| pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn create_parses_or_names_one_spec_code(input in body()) {
        if let Err(error) = NewOffer::from_json(&input) {
            prop_assert!(CREATE_CODES.contains(&error.code()), "unexpected code {}", error.code());
            prop_assert!(error.field().is_some());
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn update_parses_or_names_one_spec_code(input in body()) {
        if let Err(error) = OfferPatch::from_json(&input) {
            prop_assert!(CREATE_CODES.contains(&error.code()), "unexpected code {}", error.code());
            prop_assert!(!matches!(error.code(), "missing_name" | "missing_tracking_url"));
        }
    }

    #[test]
    fn slug_name_part_is_always_well_formed(name in ".{0,400}") {
        let part = slug_name_part(&name);
        prop_assert!(!part.is_empty() && part.len() <= 50);
        prop_assert!(part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        prop_assert!(!part.starts_with('-') && !part.ends_with('-') && !part.contains("--"));
        let slug = format!("ofr_{part}_a1b2c3");
        prop_assert_eq!(code_of_slug(&slug).map(|c| c.as_str().to_owned()), Some("a1b2c3".to_owned()));
    }

    #[test]
    fn query_parsers_never_panic(page in ".{0,30}", per_page in ".{0,30}", q in ".{0,300}") {
        let _ = Page::parse(Some(&page), Some(&per_page));
        let _ = OfferFilter::parse(|name| match name {
            "q" | "status" | "external_platform" | "external_id" => Some(q.as_str()),
            _ => None,
        });
    }
}

#[test]
fn metadata_over_fifty_keys_is_one_code() {
    let metadata: Map<String, Value> = (0..51)
        .map(|i| (format!("k{i}"), Value::from("v")))
        .collect();
    let mut input = Map::new();
    input.insert("name".to_owned(), Value::from("n"));
    input.insert("tracking_url".to_owned(), Value::from("https://a.example"));
    input.insert("metadata".to_owned(), Value::Object(metadata));
    let error = NewOffer::from_json(&input).expect_err("51 keys");
    assert_eq!(error.code(), "invalid_metadata");
}
