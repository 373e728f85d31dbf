//! Property tests: any request body or query string either parses or yields exactly one
//! SPEC code, nothing panics, and a redirect destination never leaves the tracking URL's
//! scheme, host and port.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::{Map, Value};
use trackly_domain::destination::{destination, MacroValues};
use trackly_domain::offer::TrackingUrl;
use trackly_domain::query::{ClickFilter, OfferFilter, Page};
use trackly_domain::revenue::{
    RevenueFilter, RevenueInput, MESSAGE_ID_MAX_CHARS, TXN_ID_MAX_CHARS,
};
use trackly_domain::slug::{code_of_slug, slug_name_part};
use trackly_domain::stats::DateRange;
use trackly_domain::{NewOffer, OfferPatch};

/// Reads a body as the API does and runs the create checks.
fn create(body: &Map<String, Value>) -> Result<NewOffer, trackly_domain::InputError> {
    NewOffer::try_from(read::<trackly_domain::offer::OfferInput>(body))
}

/// Reads a body as the API does and runs the update checks.
fn update(body: &Map<String, Value>) -> Result<OfferPatch, trackly_domain::InputError> {
    OfferPatch::try_from(read::<trackly_domain::offer::OfferPatchInput>(body))
}

/// Reads a record as the API does and runs the §6.1 checks.
fn record(
    body: &Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<RevenueInput, trackly_domain::InputError> {
    RevenueInput::new(read::<trackly_domain::revenue::RevenueFields>(body), now)
}

/// Any JSON object reads into an input struct: the wrong types are kept for the rules.
fn read<T: serde::de::DeserializeOwned>(body: &Map<String, Value>) -> T {
    serde_json::from_value(Value::Object(body.clone())).expect("any object reads")
}

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
        if let Err(error) = create(&input) {
            prop_assert!(CREATE_CODES.contains(&error.code()), "unexpected code {}", error.code());
            prop_assert!(error.field().is_some());
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn update_parses_or_names_one_spec_code(input in body()) {
        if let Err(error) = update(&input) {
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
    let error = create(&input).expect_err("51 keys");
    assert_eq!(error.code(), "invalid_metadata");
}

/// The codes `RevenueInput::new` may answer (SPEC §6.1).
const REVENUE_CODES: &[&str] = &[
    "invalid_revenue",
    "invalid_click_id",
    "missing_offer_id",
    "invalid_offer_id",
    "invalid_message_id",
    "invalid_attribution_type",
    "invalid_event_type",
    "invalid_txn_id",
    "invalid_timestamp",
];

const REVENUE_FIELDS: &[&str] = &[
    "revenue",
    "click_id",
    "offer_id",
    "message_id",
    "attribution_type",
    "event_type",
    "txn_id",
    "timestamp",
    "other",
];

/// Values that are nearly valid for some revenue field, mixed with arbitrary JSON.
fn revenue_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        json_value(),
        prop_oneof![
            Just("sale"),
            Just("click"),
            Just("send"),
            Just("lead"),
            Just("refund"),
            Just("chargeback"),
            Just("664f1a2b3c4d5e6f7a8b9c0d"),
            Just("ofr_summer-promo_a1b2c3"),
            Just("2026-01-10T12:00:00Z"),
            Just("2026-01-10T14:30:00+02:00"),
            Just("2026-01-10T12:00:00.250"),
            Just("2999-01-01T00:00:00Z"),
            Just("2026-01-10 12:00:00"),
            Just(" "),
        ]
        .prop_map(Value::from),
        (0u32..10_000, 1u32..13, 1u32..32, 0u32..24, 0u32..60).prop_map(
            |(year, month, day, hour, minute)| Value::from(format!(
                "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00Z"
            ))
        ),
        ".{60,70}".prop_map(Value::from),
        ".{250,260}".prop_map(Value::from),
    ]
}

/// A value that is plausible for the revenue field `name` (valid or just off).
fn plausible_revenue_value(name: &'static str) -> BoxedStrategy<Value> {
    match name {
        "revenue" => prop_oneof![
            (0u64..1_100_000_000).prop_map(Value::from),
            (0u32..1_100_000, 0u32..12_000)
                .prop_map(|(whole, frac)| Value::from(format!("{whole}.{frac}"))),
        ]
        .boxed(),
        "click_id" => prop_oneof![Just(String::new()), "[0-9a-f]{24}", ".{0,30}"]
            .prop_map(Value::from)
            .boxed(),
        "offer_id" => prop_oneof![
            Just(Value::from("")),
            "[0-9a-f]{24}".prop_map(Value::from),
            "ofr_[a-z-]{1,10}_[a-z0-9]{6}".prop_map(Value::from),
            any::<u32>().prop_map(Value::from),
            " {0,3}".prop_map(Value::from),
        ]
        .boxed(),
        "message_id" => prop_oneof![
            ".{0,64}".prop_map(Value::from),
            any::<i64>().prop_map(Value::from)
        ]
        .boxed(),
        "attribution_type" => prop::sample::select(&["sale", "click", "send", "Sale"][..])
            .prop_map(Value::from)
            .boxed(),
        "event_type" => prop::sample::select(
            &[
                "lead",
                "sale",
                "rebill",
                "refund",
                "chargeback",
                "install",
                "signup",
                "purchase",
            ][..],
        )
        .prop_map(Value::from)
        .boxed(),
        "txn_id" => prop_oneof![
            ".{0,255}".prop_map(Value::from),
            any::<u64>().prop_map(Value::from)
        ]
        .boxed(),
        "timestamp" => (1970u32..2100, 1u32..13, 1u32..29, 0u32..24)
            .prop_map(|(year, month, day, hour)| {
                Value::from(format!(
                    "{year:04}-{month:02}-{day:02}T{hour:02}:00:00+01:00"
                ))
            })
            .boxed(),
        _ => json_value().boxed(),
    }
}

/// Revenue records: either arbitrary pairs of known fields, or each field absent, `null`,
/// plausible or arbitrary (so that valid records are common too).
fn revenue_body() -> impl Strategy<Value = Map<String, Value>> {
    let pairs = prop::collection::vec(
        (prop::sample::select(REVENUE_FIELDS), revenue_value()),
        0..10,
    )
    .prop_map(|pairs| pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    let fields: Vec<_> = REVENUE_FIELDS
        .iter()
        .map(|name| {
            prop::option::weighted(
                0.6,
                prop_oneof![
                    6 => plausible_revenue_value(name),
                    1 => Just(Value::Null),
                    1 => revenue_value(),
                ],
            )
            .prop_map(move |value| value.map(|value| ((*name).to_owned(), value)))
        })
        .collect();
    let fieldwise = fields.prop_map(|fields| fields.into_iter().flatten().collect());
    prop_oneof![pairs, fieldwise]
}

/// Any time between 1970 and 2096.
fn now() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_000_000_000)
        .prop_map(|seconds| DateTime::from_timestamp(seconds, 0).expect("in chrono's range"))
}

/// Query-string dates: mostly `YYYY-MM-DD` shaped (real days or not), sometimes anything.
fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u32..10_000, 0u32..14, 0u32..33)
            .prop_map(|(year, month, day)| format!("{year:04}-{month:02}-{day:02}")),
        3 => (2024i32..2028, 1u32..13, 1u32..29)
            .prop_map(|(year, month, day)| format!("{year:04}-{month:02}-{day:02}")),
        1 => ".{0,12}",
        1 => "[-+0-9]{10}",
    ]
}

/// A query string's parameters: each of `names` absent or set.
fn params(names: &'static [&'static str]) -> impl Strategy<Value = HashMap<&'static str, String>> {
    prop::collection::vec(
        prop::option::of(prop_oneof![
            3 => date_text(),
            1 => prop_oneof![
                Just("true".to_owned()),
                Just("false".to_owned()),
                Just("sale".to_owned()),
                Just("refund".to_owned()),
                Just(String::new()),
            ],
            1 => ".{0,20}",
        ]),
        names.len(),
    )
    .prop_map(move |values| {
        names
            .iter()
            .zip(values)
            .filter_map(|(name, value)| value.map(|value| (*name, value)))
            .collect()
    })
}

/// A tracking URL that `TrackingUrl::parse` accepts, with macros in its path, query and
/// fragment (single and double braces), and the host, port and userinfo varied.
fn tracking_url() -> impl Strategy<Value = String> {
    let macro_name = prop::sample::select(
        &[
            "{sub1}",
            "{sub2}",
            "{sub3}",
            "{sub4}",
            "{sub5}",
            "{{sub1}}",
            "{{sub5}}",
            "{click_id}",
            "{{click_id}}",
            "{offer_id}",
            "{{offer_id}}",
        ][..],
    );
    let piece = prop_oneof![
        2 => macro_name.prop_map(str::to_owned),
        1 => "[a-z0-9._~-]{0,6}",
    ];
    let pieces = || prop::collection::vec(piece.clone(), 0..4).prop_map(|parts| parts.concat());
    let host = prop::sample::select(
        &[
            "adv.example",
            "ADV.Example.com",
            "a-b.adv.example",
            "127.0.0.1",
            "[2001:db8::1]",
            "xn--bcher-kva.example",
            "bücher.example",
        ][..],
    );
    let port = prop::sample::select(&["", ":80", ":443", ":8080", ":1"][..]);
    let userinfo = prop::sample::select(&["", "user@", "user:pass@"][..]);
    let path = prop::collection::vec(pieces(), 0..4)
        .prop_map(|segments| segments.iter().map(|s| format!("/{s}")).collect::<String>());
    let query = prop::option::of(prop::collection::vec((pieces(), pieces()), 0..4).prop_map(
        |pairs| {
            pairs
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect::<Vec<_>>()
                .join("&")
        },
    ));
    let fragment = prop::option::of(pieces());
    (
        prop::sample::select(&["http", "https", "HTTPS"][..]),
        userinfo,
        host,
        port,
        path,
        query,
        fragment,
    )
        .prop_map(|(scheme, userinfo, host, port, path, query, fragment)| {
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            format!("{scheme}://{userinfo}{host}{port}{path}{query}{fragment}")
        })
}

/// Sub values aimed at escaping the URL: separators, escapes, schemes, unicode.
fn sub_value() -> impl Strategy<Value = String> {
    let hostile = prop::sample::select(
        &[
            "@",
            "/",
            "//",
            "?",
            "#",
            "\\",
            "%",
            "%2F",
            "%2f%2F",
            ":",
            "..",
            "../",
            "evil.example",
            "https://evil.example",
            "@evil.example",
            "\\\\evil.example",
            "{sub2}",
            "{{click_id}}",
            " ",
            "\t",
            "\n",
            "é",
            "日本",
            "😀",
            "\u{202e}",
            "\u{0}",
            "[",
            "]",
            "&",
            "=",
            "+",
        ][..],
    );
    prop_oneof![
        2 => prop::collection::vec(prop_oneof![hostile.prop_map(str::to_owned), ".{0,3}"], 0..6)
            .prop_map(|parts| parts.concat()),
        1 => ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn revenue_records_parse_or_name_one_spec_code(input in revenue_body(), now in now()) {
        match record(&input, now) {
            Err(error) => {
                prop_assert!(REVENUE_CODES.contains(&error.code()), "unexpected code {}", error.code());
                prop_assert!(error.field().is_some(), "{} names its field", error.code());
                prop_assert!(!error.to_string().is_empty());
            }
            Ok(record) => {
                prop_assert!(record.offer.is_some() || record.click.is_some());
                prop_assert!(record.offer.as_ref().is_none_or(|offer| !offer.text().trim().is_empty()));
                prop_assert!(record.click.as_ref().is_none_or(|click| !click.text().is_empty()));
                prop_assert!(record
                    .message_id
                    .as_deref()
                    .is_none_or(|id| id.chars().count() <= MESSAGE_ID_MAX_CHARS));
                prop_assert!(record
                    .txn_id
                    .as_deref()
                    .is_none_or(|id| id.chars().count() <= TXN_ID_MAX_CHARS));
                prop_assert!(record.occurred_at <= now + Duration::minutes(5));
            }
        }
    }

    #[test]
    fn click_filters_parse_or_name_one_spec_code(query in params(&["from", "to", "is_bot"])) {
        match ClickFilter::parse(|name| query.get(name).map(String::as_str)) {
            Err(error) => prop_assert!(
                matches!(error.code(), "invalid_date_range" | "invalid_query"),
                "unexpected code {}", error.code()
            ),
            Ok(filter) => {
                if let (Some(from), Some(to)) = (filter.from, filter.to) {
                    prop_assert!(from <= to);
                }
            }
        }
    }

    #[test]
    fn revenue_filters_parse_or_name_one_spec_code(
        query in params(&["offer_id", "from", "to", "event_type"]),
    ) {
        match RevenueFilter::parse(|name| query.get(name).map(String::as_str)) {
            Err(error) => prop_assert!(
                matches!(error.code(), "invalid_date_range" | "invalid_event_type"),
                "unexpected code {}", error.code()
            ),
            Ok(filter) => {
                if let (Some(from), Some(to)) = (filter.from, filter.to) {
                    prop_assert!(from <= to);
                }
                prop_assert!(filter.offer.as_deref().is_none_or(|offer| !offer.is_empty()));
            }
        }
    }

    #[test]
    fn date_ranges_are_ordered_and_at_most_366_days(
        from in prop::option::of(date_text()),
        to in prop::option::of(date_text()),
        today in (-100_000i32..100_000).prop_map(|days| {
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day") + Duration::days(i64::from(days))
        }),
    ) {
        match DateRange::parse(from.as_deref(), to.as_deref(), today) {
            Err(error) => prop_assert_eq!(error.code(), "invalid_date_range"),
            Ok(range) => {
                prop_assert!(range.from <= range.to, "{range:?}");
                let days = (range.to - range.from).num_days() + 1;
                prop_assert!(days <= 366, "{days} days: {range:?}");
                prop_assert_eq!(range.days().count(), usize::try_from(days).expect("positive"));
                if to.is_none() && from.is_none() {
                    prop_assert_eq!(range.to, today);
                }
            }
        }
    }

    #[test]
    fn destinations_keep_the_tracking_urls_scheme_host_and_port(
        raw in tracking_url(),
        subs in prop::collection::vec(prop::option::of(sub_value()), 5),
    ) {
        let tracking = TrackingUrl::parse(&raw);
        prop_assert!(tracking.is_some(), "the generator makes valid URLs: {raw}");
        let tracking = tracking.expect("checked above");
        let values = MacroValues {
            click_id: "664f1a2b3c4d5e6f7a8b9c0d",
            offer_id: "664f1a2b3c4d5e6f7a8b9c0e",
            subs: [
                subs[0].as_deref(),
                subs[1].as_deref(),
                subs[2].as_deref(),
                subs[3].as_deref(),
                subs[4].as_deref(),
            ],
            message_id: subs[0].as_deref(),
        };
        let original = url::Url::parse(tracking.as_str()).expect("a valid tracking URL parses");
        let location = destination(tracking.as_str(), &values);
        let parsed = url::Url::parse(&location);
        prop_assert!(parsed.is_ok(), "{location} does not parse: {parsed:?}");
        let parsed = parsed.expect("checked above");
        prop_assert_eq!(parsed.scheme(), original.scheme(), "{}", location);
        prop_assert_eq!(parsed.host(), original.host(), "{}", location);
        prop_assert_eq!(parsed.port(), original.port(), "{}", location);
        prop_assert_eq!(parsed.username(), original.username(), "{}", location);
        prop_assert_eq!(parsed.password(), original.password(), "{}", location);
        prop_assert!(
            !location.chars().any(char::is_control),
            "no control character can split the Location header: {location:?}"
        );
    }
}

proptest! {
    /// The hand-written timestamp is chrono's `%Y-%m-%dT%H:%M:%SZ` for any second of
    /// years 0 to 9999, and for years past it.
    #[test]
    fn a_timestamp_is_written_as_chrono_writes_it(seconds in -62_167_219_200i64..=300_000_000_000) {
        let time = DateTime::<Utc>::from_timestamp(seconds, 0).expect("a time in range");
        prop_assert_eq!(
            trackly_domain::time::format_timestamp(time),
            time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
    }
}
