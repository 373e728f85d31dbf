//! SPEC §9.1 and §9.2: every rule of the link tables, in order, and the two modes.

use serde_json::{json, Value};
use trackly_domain::link::{LinkDestination, LinkInput, NewLink, OfferKey};
use trackly_domain::InputError;

fn input(body: Value) -> LinkInput {
    serde_json::from_value(body).expect("any object reads")
}

fn shorten(body: Value) -> Result<NewLink, InputError> {
    NewLink::shorten(input(body))
}

fn partner(body: Value) -> Result<NewLink, InputError> {
    NewLink::partner(input(body))
}

#[test]
fn each_rule_of_the_shorten_table_reports_its_code_and_field() {
    let long = "x".repeat(256);
    let cases = [
        (
            json!({"url": "ftp://a.example", "listId": "l"}),
            "invalid_url",
            Some("url"),
            "url not http(s)",
        ),
        (
            json!({"url": 42, "listId": "l"}),
            "invalid_url",
            Some("url"),
            "url a number",
        ),
        (
            json!({"url": format!("https://a.example/{}", "p".repeat(2048)), "listId": "l"}),
            "invalid_url",
            Some("url"),
            "url over 2048",
        ),
        (
            json!({"offerId": true, "listId": "l"}),
            "invalid_offer_id",
            Some("offerId"),
            "offerId a boolean",
        ),
        (
            json!({"listId": "l"}),
            "missing_url_or_offer",
            None,
            "neither url nor offerId",
        ),
        (
            json!({"url": " ", "offerId": "", "listId": "l"}),
            "missing_url_or_offer",
            None,
            "both blank",
        ),
        (
            json!({"url": "https://a.example", "listId": long}),
            "invalid_list_id",
            Some("listId"),
            "listId over 255",
        ),
        (
            json!({"url": "https://a.example", "listId": ["l"]}),
            "invalid_list_id",
            Some("listId"),
            "listId an array",
        ),
        (
            json!({"url": "https://a.example"}),
            "missing_list_identifier",
            None,
            "neither listId nor phoneNumber",
        ),
        (
            json!({"url": "https://a.example", "listId": "", "phoneNumber": null}),
            "missing_list_identifier",
            None,
            "both blank",
        ),
        (
            json!({"url": "https://a.example", "phoneNumber": "4155550123"}),
            "invalid_phone",
            Some("phoneNumber"),
            "phoneNumber without +",
        ),
        (
            json!({"url": "https://a.example", "phoneNumber": 14155550123_u64}),
            "invalid_phone",
            Some("phoneNumber"),
            "phoneNumber a number",
        ),
        (
            json!({"url": "https://a.example", "listId": "l", "contactPhone": "+1234"}),
            "invalid_phone",
            Some("contactPhone"),
            "contactPhone too short",
        ),
        (
            json!({"url": "https://a.example", "listId": "l", "messageId": long}),
            "invalid_message_id",
            Some("messageId"),
            "messageId over 255",
        ),
        (
            json!({"url": "https://a.example", "listId": "l", "messageId": {}}),
            "invalid_message_id",
            Some("messageId"),
            "messageId an object",
        ),
        (
            json!({"url": "https://a.example", "listId": "l", "metadata": {"k": 1}}),
            "invalid_metadata",
            Some("metadata"),
            "metadata value a number",
        ),
        (
            json!({"url": "https://a.example", "listId": "l", "metadata": "x"}),
            "invalid_metadata",
            Some("metadata"),
            "metadata a string",
        ),
        (
            json!({"url": "nope", "phoneNumber": "bad"}),
            "invalid_url",
            Some("url"),
            "the url comes first",
        ),
        (
            json!({"listId": long, "phoneNumber": "bad"}),
            "missing_url_or_offer",
            None,
            "the destination before the recipient",
        ),
        (
            json!({"url": "https://a.example", "phoneNumber": "bad", "contactPhone": "bad"}),
            "invalid_phone",
            Some("phoneNumber"),
            "phoneNumber before contactPhone",
        ),
    ];
    for (body, code, field, description) in cases {
        let error = shorten(body).expect_err(description);
        assert_eq!(
            (error.code(), error.field()),
            (code, field),
            "{description}"
        );
    }
}

#[test]
fn offer_id_wins_over_url_even_a_broken_one() {
    let link = shorten(json!({"url": "not a url", "offerId": "a1b2c3", "listId": "l"}))
        .expect("the url is not read");
    let LinkDestination::Offer(offer) = link.destination else {
        panic!("offer mode");
    };
    assert!(matches!(offer.key, OfferKey::Code(_)));
    assert!(!offer.from_platform);
}

#[test]
fn offer_ids_are_read_as_id_slug_or_code() {
    let key = |offer: Value| match shorten(json!({"offerId": offer, "listId": "l"}))
        .expect("valid")
        .destination
    {
        LinkDestination::Offer(offer) => offer.key,
        LinkDestination::Url(_) => panic!("offer mode"),
    };
    assert!(matches!(
        key(json!("664f1a2b3c4d5e6f7a8b9c0d")),
        OfferKey::Id(_)
    ));
    assert!(matches!(
        key(json!("ofr_summer-promo_a1b2c3")),
        OfferKey::Code(_)
    ));
    assert!(matches!(key(json!("a1b2c3")), OfferKey::Code(_)));
    assert!(
        matches!(key(json!(123456)), OfferKey::Code(_)),
        "an all-digit code sent as a number"
    );
    assert_eq!(key(json!("no such thing")), OfferKey::Nothing);
}

#[test]
fn url_mode_keeps_every_field() {
    let link = shorten(json!({
        "url": "https://shop.example/sale?x={message_id}",
        "listId": 7,
        "phoneNumber": "+14155550123",
        "contactPhone": "+447911123456",
        "messageId": "m-42",
        "metadata": {"campaign": "spring"}
    }))
    .expect("valid");
    assert!(matches!(link.destination, LinkDestination::Url(_)));
    assert_eq!(link.list_id.as_deref(), Some("7"));
    assert_eq!(
        link.phone_number.map(|p| p.as_str().to_owned()).as_deref(),
        Some("+14155550123")
    );
    assert_eq!(
        link.contact_phone.map(|p| p.as_str().to_owned()).as_deref(),
        Some("+447911123456")
    );
    assert_eq!(link.message_id.as_deref(), Some("m-42"));
    assert_eq!(
        link.metadata.entries().get("campaign").map(String::as_str),
        Some("spring")
    );
}

#[test]
fn partner_links_name_their_offer_by_id_or_external_id() {
    let cases = [
        (json!({"listId": "l"}), Err("missing_offer_id"), "neither"),
        (
            json!({"externalOfferId": [1], "listId": "l"}),
            Err("invalid_offer_id"),
            "externalOfferId an array",
        ),
        (
            json!({"externalOfferId": "x".repeat(256), "listId": "l"}),
            Err("invalid_offer_id"),
            "externalOfferId over 255",
        ),
        (
            json!({"externalOfferId": 1234, "url": "not read"}),
            Err("missing_list_identifier"),
            "the url is not a rule here",
        ),
        (
            json!({"externalOfferId": 1234, "listId": "l"}),
            Ok(OfferKey::External("1234".to_owned())),
            "a numeric platform id",
        ),
        (
            json!({"offerId": "a1b2c3", "externalOfferId": "9", "listId": "l"}),
            Ok(OfferKey::Code(
                trackly_domain::OfferCode::parse("a1b2c3").expect("code"),
            )),
            "offerId wins",
        ),
    ];
    for (body, expected, description) in cases {
        let got = partner(body)
            .map_err(|error| error.code())
            .map(|link| match link.destination {
                LinkDestination::Offer(offer) => {
                    assert!(offer.from_platform, "{description}");
                    offer.key
                }
                LinkDestination::Url(_) => panic!("{description}: offer mode"),
            });
        assert_eq!(got, expected, "{description}");
    }
}
