//! SPEC §9.1–§9.3 through HTTP: every row of the §9.1 table, both modes, `offerId`
//! priority, platform links, no dedupe without an `Idempotency-Key`, bulk, tenants.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_error, send, TestApp, PUBLIC_URL};

const SHORTEN: &str = "/api/v2/links/shorten";
const PLATFORM: &str = "/api/v2/links";
const BULK: &str = "/api/v2/links/bulk";

#[tokio::test]
async fn each_row_of_the_shorten_table_is_refused_with_its_code() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(256);
    let url = "https://shop.example/sale";
    let cases = [
        (
            json!({"url": "ftp://shop.example", "listId": "l"}),
            400,
            "invalid_url",
            "url: not http(s)",
        ),
        (
            json!({"url": "shop.example/sale", "listId": "l"}),
            400,
            "invalid_url",
            "url: not absolute",
        ),
        (
            json!({"url": format!("{url}/{}", "p".repeat(2048)), "listId": "l"}),
            400,
            "invalid_url",
            "url: over 2048",
        ),
        (
            json!({"offerId": "zzzzzz", "listId": "l"}),
            404,
            "offer_not_found",
            "offerId: no such offer",
        ),
        (
            json!({"offerId": true, "listId": "l"}),
            400,
            "invalid_offer_id",
            "offerId: not a string",
        ),
        (
            json!({"listId": "l"}),
            400,
            "missing_url_or_offer",
            "neither url nor offerId",
        ),
        (
            json!({"url": url, "listId": long}),
            400,
            "invalid_list_id",
            "listId: over 255",
        ),
        (
            json!({"url": url}),
            400,
            "missing_list_identifier",
            "neither listId nor phoneNumber",
        ),
        (
            json!({"url": url, "phoneNumber": "4155550123"}),
            400,
            "invalid_phone",
            "phoneNumber: not E.164",
        ),
        (
            json!({"url": url, "listId": "l", "contactPhone": "+1 415 555 0123"}),
            400,
            "invalid_phone",
            "contactPhone: not E.164",
        ),
        (
            json!({"url": url, "listId": "l", "messageId": long}),
            400,
            "invalid_message_id",
            "messageId: over 255",
        ),
        (
            json!({"url": url, "listId": "l", "metadata": {"k": 1}}),
            400,
            "invalid_metadata",
            "metadata: a value not a string",
        ),
        (
            json!({"url": "nope", "listId": long}),
            400,
            "invalid_url",
            "the table's order: url first",
        ),
        (
            json!({"offerId": "zzzzzz", "phoneNumber": "bad"}),
            400,
            "invalid_phone",
            "fields before the offer lookup",
        ),
    ];
    for (body, status, code, description) in cases {
        let (got, answer) = app.post_link(SHORTEN, &body).await;
        assert_error(got, &answer, status, code, description);
    }
    let (status, answer) = send(
        app.api(Method::POST, SHORTEN)
            .header("Content-Type", "application/json")
            .body("[1]"),
    )
    .await;
    assert_error(
        status,
        &answer,
        400,
        "invalid_json",
        "a body that is no object",
    );
    assert_eq!(app.link_rows(), 0, "a refused request makes nothing");
}

#[tokio::test]
async fn url_mode_and_offer_mode_answer_in_trackly_sms_shape() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "Summer", "tracking_url": "https://adv.example/t?c={click_id}", "filter_bots": true}))
        .await;
    let by_url = app
        .shorten(json!({"url": "https://shop.example/sale", "phoneNumber": "+14155550123", "messageId": "m-42"}))
        .await;
    let link_id = by_url["linkId"].as_str().expect("linkId");
    assert!(link_id.len() == 7 && link_id.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(by_url["success"], true);
    assert_eq!(by_url["shortUrl"], format!("{PUBLIC_URL}/{link_id}"));
    assert_eq!(by_url["domain"], "trk.test");
    assert_eq!(by_url["destinationUrl"], "https://shop.example/sale");
    assert_eq!(by_url["offerId"], Value::Null);
    assert_eq!(by_url["filterBots"], false);
    assert_eq!(by_url["messageId"], "m-42");
    assert_eq!(by_url["phoneNumber"], "+14155550123");
    assert!(by_url["createdAt"]
        .as_str()
        .is_some_and(|time| time.ends_with('Z')));
    assert!(by_url.get("clickTrackerUrl").is_none(), "§9.2 only");

    let code = offer["click_url"]
        .as_str()
        .expect("click_url")
        .rsplit('/')
        .next()
        .expect("code");
    let slug = offer["slug"].as_str().expect("slug");
    let id = offer["id"].as_str().expect("id");
    for reference in [id, slug, code] {
        let by_offer = app
            .shorten(json!({"offerId": reference, "listId": "spring"}))
            .await;
        assert_eq!(by_offer["offerId"], offer["id"], "{reference}");
        assert_eq!(
            by_offer["destinationUrl"],
            "https://adv.example/t?c={click_id}"
        );
        assert_eq!(by_offer["filterBots"], true, "the offer's setting");
        assert_eq!(by_offer["listId"], "spring");
    }
    let both = app
        .shorten(json!({"offerId": id, "url": "not a url at all", "listId": "l"}))
        .await;
    assert_eq!(
        both["offerId"], offer["id"],
        "offerId wins over url, even a broken one"
    );
}

#[tokio::test]
async fn offers_that_are_not_active_cannot_be_linked() {
    let app = TestApp::spawn().await;
    let paused = app
        .create_offer_with(
            json!({"name": "P", "tracking_url": "https://a.example", "status": "paused"}),
        )
        .await;
    let archived = app.create_offer("A").await;
    app.delete_offer(archived["id"].as_str().expect("id")).await;
    for offer in [&paused, &archived] {
        let (status, answer) = app
            .post_link(SHORTEN, &json!({"offerId": offer["id"], "listId": "l"}))
            .await;
        assert_error(
            status,
            &answer,
            404,
            "offer_not_found",
            offer["name"].as_str().expect("name"),
        );
    }
}

#[tokio::test]
async fn every_call_makes_a_new_link_unless_an_idempotency_key_repeats_it() {
    let app = TestApp::spawn().await;
    app.create_offer_with(json!({"name": "T", "tracking_url": "https://a.example", "external_platform": "tune", "external_id": "77"}))
        .await;
    let body = json!({"url": "https://shop.example", "listId": "l"});
    let first = app.shorten(body.clone()).await;
    let second = app.shorten(body.clone()).await;
    assert_ne!(first["linkId"], second["linkId"], "no dedupe without a key");

    let bulk_body = json!({"links": [body.clone()]});
    let platform_body = json!({"externalOfferId": "77", "listId": "l"});
    let endpoints = [
        (SHORTEN, &body, 201),
        (PLATFORM, &platform_body, 201),
        (BULK, &bulk_body, 200),
    ];
    for (path, body, status) in endpoints {
        let before = app.link_rows();
        let request = || {
            app.api(Method::POST, path)
                .header("Idempotency-Key", format!("campaign-{path}"))
                .json(body)
        };
        let first = request().send().await.expect("request");
        assert_eq!(first.status().as_u16(), status, "{path}");
        let first: Value = first.json().await.expect("json");
        let again = request().send().await.expect("request");
        assert_eq!(again.headers()["idempotent-replayed"], "true", "{path}");
        let again: Value = again.json().await.expect("json");
        assert_eq!(again, first, "{path}: the first answer, replayed");
        assert_eq!(app.link_rows(), before + 1, "{path}: one link made");
    }
}

#[tokio::test]
async fn platform_links_need_an_active_offer_from_a_platform() {
    let app = TestApp::spawn().await;
    let tune = app
        .create_offer_with(json!({"name": "T", "tracking_url": "https://a.example", "external_platform": "tune", "external_id": "1234"}))
        .await;
    let local = app
        .create_offer_with(
            json!({"name": "L", "tracking_url": "https://b.example", "external_id": "999"}),
        )
        .await;
    for twin in ["Twin 1", "Twin 2"] {
        app.create_offer_with(json!({"name": twin, "tracking_url": "https://c.example", "external_platform": "everflow", "external_id": "55"}))
            .await;
    }
    let made = [
        (
            json!({"externalOfferId": "1234", "listId": "l"}),
            "by external id",
        ),
        (
            json!({"externalOfferId": 1234, "phoneNumber": "+14155550123"}),
            "a numeric external id",
        ),
        (
            json!({"offerId": tune["id"], "externalOfferId": "nope", "listId": "l"}),
            "offerId wins",
        ),
    ];
    for (body, description) in made {
        let (status, answer) = app.post_link(PLATFORM, &body).await;
        assert_eq!(status, 201, "{description}: {answer}");
        assert_eq!(answer["offerId"], tune["id"], "{description}");
        assert_eq!(
            answer["clickTrackerUrl"], answer["shortUrl"],
            "{description}"
        );
    }
    let refused = [
        (
            json!({"offerId": local["id"], "listId": "l"}),
            404,
            "offer_not_found",
            "an offer with no platform",
        ),
        (
            json!({"externalOfferId": "999", "listId": "l"}),
            404,
            "offer_not_found",
            "an external id of no platform offer",
        ),
        (
            json!({"externalOfferId": "55", "listId": "l"}),
            409,
            "ambiguous_offer",
            "two platform offers share it",
        ),
        (
            json!({"listId": "l", "url": "https://a.example"}),
            400,
            "missing_offer_id",
            "neither offerId nor externalOfferId",
        ),
        (
            json!({"externalOfferId": [1], "listId": "l"}),
            400,
            "invalid_offer_id",
            "externalOfferId an array",
        ),
        (
            json!({"externalOfferId": "1234"}),
            400,
            "missing_list_identifier",
            "no recipient",
        ),
    ];
    for (body, status, code, description) in refused {
        let (got, answer) = app.post_link(PLATFORM, &body).await;
        assert_error(got, &answer, status, code, description);
    }
}

#[tokio::test]
async fn bulk_records_stand_alone_and_answer_in_input_order() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Bulk").await;
    let body = json!({"links": [
        {"offerId": offer["id"], "contactPhone": "+14155550001", "listId": "l", "messageId": "m-1"},
        {"url": "nope", "listId": "l"},
        "not an object",
        {"offerId": "zzzzzz", "listId": "l"},
        {"url": "https://shop.example", "phoneNumber": "+14155550002"},
    ]});
    let (status, answer) = app.post_link(BULK, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["success_count"], 2);
    assert_eq!(answer["error_count"], 3);
    let links = answer["links"].as_array().expect("links");
    assert_eq!(links.len(), 5);
    assert_eq!(links[0]["messageId"], "m-1");
    assert_eq!(links[0]["success"], true);
    assert_eq!(
        (links[1].clone(), links[2].clone(), links[3].clone()),
        (Value::Null, Value::Null, Value::Null)
    );
    assert_eq!(links[4]["destinationUrl"], "https://shop.example");
    let errors: Vec<(u64, &str)> = answer["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (
                error["index"].as_u64().expect("index"),
                error["code"].as_str().expect("code"),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (1, "invalid_url"),
            (2, "invalid_record"),
            (3, "offer_not_found")
        ]
    );
    assert_eq!(app.link_rows(), 2);
}

#[tokio::test]
async fn bulk_takes_ten_thousand_records_and_refuses_one_more() {
    let app = TestApp::spawn().await;
    let records = |count: usize| -> Value {
        json!({"links": (0..count).map(|n| json!({"url": "https://shop.example", "listId": "l", "messageId": format!("m-{n}")})).collect::<Vec<_>>()})
    };
    let (status, answer) = app.post_link(BULK, &records(10_001)).await;
    assert_error(status, &answer, 413, "too_many_records", "10,001 records");
    assert_eq!(app.link_rows(), 0);
    let (status, answer) = app.post_link(BULK, &records(10_000)).await;
    assert_eq!(status, 200);
    assert_eq!(answer["success_count"], 10_000);
    let ids: std::collections::HashSet<&str> = answer["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|link| link["linkId"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 10_000, "every link id distinct");
    for (body, description) in [
        (json!({}), "absent"),
        (json!({"links": []}), "empty"),
        (json!({"links": "x"}), "not an array"),
    ] {
        let (status, answer) = app.post_link(BULK, &body).await;
        assert_error(status, &answer, 400, "missing_links", description);
    }
}

#[tokio::test]
async fn another_accounts_offers_and_links_are_not_found() {
    let app = TestApp::spawn().await;
    let other = app.other_account();
    let theirs = app
        .create_offer_with(json!({"name": "Mine", "tracking_url": "https://a.example", "external_platform": "tune", "external_id": "5"}))
        .await;
    let link = app
        .shorten(json!({"offerId": theirs["id"], "listId": "l"}))
        .await;
    let link_id = link["linkId"].as_str().expect("id");
    let as_other = |method: Method, path: &str| app.with_key(method, path, &other.api_key);

    let (status, answer) = send(
        as_other(Method::POST, SHORTEN).json(&json!({"offerId": theirs["id"], "listId": "l"})),
    )
    .await;
    assert_error(
        status,
        &answer,
        404,
        "offer_not_found",
        "shorten with another account's offer",
    );
    let (status, answer) = send(
        as_other(Method::POST, PLATFORM).json(&json!({"externalOfferId": "5", "listId": "l"})),
    )
    .await;
    assert_error(
        status,
        &answer,
        404,
        "offer_not_found",
        "a platform link to another account's offer",
    );
    let (status, answer) = send(
        as_other(Method::POST, BULK)
            .json(&json!({"links": [{"offerId": theirs["id"], "listId": "l"}]})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["errors"][0]["code"], "offer_not_found",
        "bulk with another account's offer"
    );
    let (status, answer) = send(as_other(Method::GET, &format!("/api/v2/links/{link_id}"))).await;
    assert_error(status, &answer, 404, "not_found", "another account's link");
    let (status, answer) = send(as_other(Method::GET, "/api/v2/links")).await;
    assert_eq!(
        (status, answer["pagination"]["total"].clone()),
        (200, json!(0)),
        "another account's list"
    );
}
