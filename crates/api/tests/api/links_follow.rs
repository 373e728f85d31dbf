//! SPEC §9.4 and §9.5 through HTTP: following links, what their clicks record, first
//! clicks, revenue by message id, link stats against offer stats, and the links list.

use std::time::Duration;

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{send, TestApp};

const PERSON: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const OTHER_PERSON: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36";
const PREVIEW_BOT: &str = "WhatsApp/2.23.20.0 A";

/// Follows `/{linkId}{query}` as `agent`; returns the status and `Location`.
async fn follow(app: &TestApp, link: &Value, query: &str, agent: &str) -> (u16, Option<String>) {
    let response = app
        .request(
            Method::GET,
            &format!("/{}{query}", link["linkId"].as_str().expect("linkId")),
        )
        .header("User-Agent", agent)
        .send()
        .await
        .expect("request");
    let location = response
        .headers()
        .get("location")
        .map(|value| value.to_str().expect("ascii").to_owned());
    (response.status().as_u16(), location)
}

async fn offer_clicks(app: &TestApp, offer: &Value) -> Vec<Value> {
    let path = format!(
        "/api/v2/offers/{}/clicks?per_page=100",
        offer["id"].as_str().expect("id")
    );
    let (status, body) = send(app.api(Method::GET, &path)).await;
    assert_eq!(status, 200, "{body}");
    body["clicks"].as_array().expect("clicks").clone()
}

async fn stats_of(app: &TestApp, link: &Value) -> Value {
    let (status, body) = app.get_link(link["linkId"].as_str().expect("linkId")).await;
    assert_eq!(status, 200, "{body}");
    body["stats"].clone()
}

#[tokio::test]
async fn a_link_redirects_with_every_macro_and_records_its_message() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "M", "tracking_url": "https://adv.example/t?c={click_id}&o={offer_id}&m={message_id}&s1={sub1}&s5={{sub5}}"}))
        .await;
    let link = app
        .shorten(json!({"offerId": offer["id"], "listId": "spring", "contactPhone": "+14155550001", "messageId": "m 42"}))
        .await;
    let (status, location) = follow(&app, &link, "?sub1=a%26b&sub5=z", PERSON).await;
    assert_eq!(status, 302);
    app.flush_clicks(Duration::from_secs(5)).await;
    let clicks = offer_clicks(&app, &offer).await;
    let click = &clicks[0];
    let click_id = click["click_id"].as_str().expect("click id");
    assert_eq!(
        location.expect("location"),
        format!(
            "https://adv.example/t?c={click_id}&o={}&m=m%2042&s1=a%26b&s5=z",
            offer["id"].as_str().expect("id")
        )
    );
    assert_eq!(click["link_id"], link["linkId"]);
    assert_eq!(click["message_id"], "m 42");
    assert_eq!(click["list_id"], "spring");
    assert_eq!(click["contact_phone"], "+14155550001");
    assert_eq!(click["first_click"], true);
    assert_eq!(click["sub1"], "a&b");
}

#[tokio::test]
async fn click_id_is_appended_when_the_offer_url_has_no_click_macro() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "A", "tracking_url": "https://adv.example/t?x=1"}))
        .await;
    let link = app
        .shorten(json!({"offerId": offer["id"], "listId": "l"}))
        .await;
    let (status, location) = follow(&app, &link, "", PERSON).await;
    assert_eq!(status, 302);
    let location = location.expect("location");
    assert!(
        location.starts_with("https://adv.example/t?x=1&click_id="),
        "{location}"
    );
}

#[tokio::test]
async fn url_mode_links_go_to_their_url_and_count_for_no_offer() {
    let app = TestApp::spawn().await;
    let link = app
        .shorten(json!({"url": "https://shop.example/sale?m={message_id}", "phoneNumber": "+14155550123", "messageId": "m-7"}))
        .await;
    let (status, location) = follow(&app, &link, "", PERSON).await;
    assert_eq!(
        (status, location.as_deref()),
        (302, Some("https://shop.example/sale?m=m-7")),
        "macros replaced, nothing appended"
    );
    app.flush_clicks(Duration::from_secs(5)).await;
    let stats = stats_of(&app, &link).await;
    assert_eq!(
        stats,
        json!({"clicks": 1, "first_clicks": 1, "bot_clicks": 0, "conversions": 0, "revenue": 0.0})
    );
}

#[tokio::test]
async fn unknown_links_are_404_and_links_to_paused_or_archived_offers_410() {
    let app = TestApp::spawn().await;
    let paused = app.create_offer("Paused").await;
    let archived = app.create_offer("Archived").await;
    let to_paused = app
        .shorten(json!({"offerId": paused["id"], "listId": "l"}))
        .await;
    let to_archived = app
        .shorten(json!({"offerId": archived["id"], "listId": "l"}))
        .await;
    app.put_offer(
        paused["id"].as_str().expect("id"),
        &json!({"status": "paused"}),
    )
    .await;
    app.delete_offer(archived["id"].as_str().expect("id")).await;
    let cases = [
        (json!({"linkId": "ZZZZZZZ"}), 404, "an unknown link"),
        (to_paused, 410, "a paused offer"),
        (to_archived, 410, "an archived offer"),
    ];
    for (link, status, description) in cases {
        assert_eq!(
            follow(&app, &link, "", PERSON).await,
            (status, None),
            "{description}"
        );
    }
    app.flush_clicks(Duration::from_secs(5)).await;
    assert_eq!(app.click_rows(), 0, "none of them is a click");
}

#[tokio::test]
async fn two_people_and_a_preview_bot_make_two_first_clicks() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Campaign").await;
    let message = |contact: &str| json!({"offerId": offer["id"], "listId": "l", "messageId": "m-1", "contactPhone": contact});
    let to_ann = app.shorten(message("+14155550001")).await;
    let to_bob = app.shorten(message("+14155550002")).await;
    follow(&app, &to_ann, "", PREVIEW_BOT).await;
    app.flush_clicks(Duration::from_secs(5)).await;
    follow(&app, &to_ann, "", PERSON).await;
    follow(&app, &to_ann, "", PERSON).await;
    follow(&app, &to_bob, "", OTHER_PERSON).await;
    let head = app
        .request(
            Method::HEAD,
            &format!("/{}", to_bob["linkId"].as_str().expect("id")),
        )
        .header("User-Agent", OTHER_PERSON)
        .send()
        .await
        .expect("request");
    assert_eq!(head.status(), 302, "HEAD answers like GET");
    app.flush_clicks(Duration::from_secs(5)).await;

    assert_eq!(
        stats_of(&app, &to_ann).await,
        json!({"clicks": 3, "first_clicks": 1, "bot_clicks": 1, "conversions": 0, "revenue": 0.0})
    );
    assert_eq!(
        stats_of(&app, &to_bob).await,
        json!({"clicks": 2, "first_clicks": 1, "bot_clicks": 1, "conversions": 0, "revenue": 0.0})
    );
    let clicks = offer_clicks(&app, &offer).await;
    assert!(
        clicks
            .iter()
            .all(|click| !(click["first_click"] == true && click["is_bot"] == true)),
        "a bot is never first"
    );
    let path = format!("/api/v2/offers/{}/stats", offer["id"].as_str().expect("id"));
    let (_, offer_stats) = send(app.api(Method::GET, &path)).await;
    assert_eq!(offer_stats["totals"]["first_clicks"], 2);
}

#[tokio::test]
async fn concurrent_clicks_on_one_link_make_exactly_one_first_click() {
    let app = TestApp::spawn().await;
    let link = app
        .shorten(json!({"url": "https://shop.example", "listId": "l", "messageId": "m-9"}))
        .await;
    let clicks = (0..40).map(|_| follow(&app, &link, "", PERSON));
    let answers = join_all(clicks).await;
    assert!(answers.iter().all(|(status, _)| *status == 302));
    app.flush_clicks(Duration::from_secs(10)).await;
    let stats = stats_of(&app, &link).await;
    assert_eq!(
        (stats["clicks"].clone(), stats["first_clicks"].clone()),
        (json!(40), json!(1))
    );
}

#[tokio::test]
async fn revenue_by_message_id_lands_on_the_first_click_and_link_and_offer_stats_agree() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({"name": "Shop", "tracking_url": "https://adv.example/t?c={click_id}", "payout": 2, "filter_bots": true}))
        .await;
    let link = app
        .shorten(json!({"offerId": offer["id"], "listId": "l", "messageId": "order-msg", "contactPhone": "+14155550001"}))
        .await;
    follow(&app, &link, "", PREVIEW_BOT).await;
    follow(&app, &link, "", PERSON).await;
    app.flush_clicks(Duration::from_secs(5)).await;
    follow(&app, &link, "", PERSON).await;
    app.flush_clicks(Duration::from_secs(5)).await;
    let first = offer_clicks(&app, &offer)
        .await
        .into_iter()
        .find(|click| click["first_click"] == true)
        .expect("a first click");

    let (status, recorded) = app
        .post_revenue(&json!({"offer_id": offer["id"], "message_id": "order-msg", "revenue": 30, "txn_id": "o-1"}))
        .await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["click_id"], first["click_id"]);
    let (_, refund) = app
        .post_revenue(&json!({"offer_id": offer["id"], "message_id": "order-msg", "revenue": 5, "event_type": "refund"}))
        .await;
    assert_eq!(refund["click_id"], first["click_id"], "a refund too");
    let (_, unmatched) = app
        .post_revenue(
            &json!({"offer_id": offer["id"], "message_id": "no-such-message", "revenue": 1}),
        )
        .await;
    assert_eq!(
        unmatched["click_id"],
        Value::Null,
        "a message with no click"
    );
    let postback = format!(
        "/conv/offer?offer_id={}&message_id=order-msg&revenue=4&postback_secret={}",
        offer["id"].as_str().expect("id"),
        app.account.postback_secret
    );
    let (status, by_postback) = send(app.request(Method::GET, &postback)).await;
    assert_eq!(
        (status, by_postback["click_id"].clone()),
        (201, first["click_id"].clone()),
        "a postback too"
    );

    let link_stats = stats_of(&app, &link).await;
    assert_eq!(
        link_stats,
        json!({"clicks": 2, "first_clicks": 1, "bot_clicks": 1, "conversions": 2, "revenue": 29.0})
    );
    let path = format!("/api/v2/offers/{}/stats", offer["id"].as_str().expect("id"));
    let (_, offer_stats) = send(app.api(Method::GET, &path)).await;
    let totals = &offer_stats["totals"];
    assert_eq!(
        (
            totals["clicks"].clone(),
            totals["first_clicks"].clone(),
            totals["bot_clicks"].clone()
        ),
        (
            link_stats["clicks"].clone(),
            link_stats["first_clicks"].clone(),
            link_stats["bot_clicks"].clone()
        ),
        "the link's clicks are the offer's"
    );
    assert_eq!(
        totals["revenue"], 30.0,
        "the offer also has the unmatched 1"
    );
}

#[tokio::test]
async fn links_are_listed_newest_first_with_their_filters() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Listed").await;
    let code = offer["click_url"]
        .as_str()
        .expect("click_url")
        .rsplit('/')
        .next()
        .expect("code")
        .to_owned();
    let first = app
        .shorten(json!({"offerId": offer["id"], "listId": "a", "messageId": "m-1"}))
        .await;
    let second = app
        .shorten(json!({"url": "https://shop.example", "listId": "b", "messageId": "m-2"}))
        .await;
    let third = app
        .shorten(json!({"offerId": offer["id"], "listId": "b", "messageId": "m-3"}))
        .await;
    let today = chrono::Utc::now().date_naive();
    let cases = [
        (
            "".to_owned(),
            vec![&third, &second, &first],
            "every link, newest first",
        ),
        (
            format!("?offer_id={}", offer["id"].as_str().expect("id")),
            vec![&third, &first],
            "by offer id",
        ),
        (
            format!("?offer_id={code}"),
            vec![&third, &first],
            "by offer code",
        ),
        (
            "?offer_id=zzzzzz".to_owned(),
            vec![],
            "an offer naming nothing",
        ),
        ("?list_id=b".to_owned(), vec![&third, &second], "by list"),
        ("?message_id=m-2".to_owned(), vec![&second], "by message"),
        (
            format!("?from={today}&to={today}&list_id=a"),
            vec![&first],
            "by day",
        ),
        ("?per_page=1&page=2".to_owned(), vec![&second], "a page"),
    ];
    for (query, expected, description) in cases {
        let (status, body) = send(app.api(Method::GET, &format!("/api/v2/links{query}"))).await;
        assert_eq!(status, 200, "{description}: {body}");
        let ids: Vec<&Value> = body["links"]
            .as_array()
            .expect("links")
            .iter()
            .map(|link| &link["linkId"])
            .collect();
        let want: Vec<&Value> = expected.iter().map(|link| &link["linkId"]).collect();
        assert_eq!(ids, want, "{description}");
    }
    let (status, body) = send(app.api(Method::GET, "/api/v2/links?message_id=%00")).await;
    assert_eq!(
        (status, body["code"].clone()),
        (400, json!("invalid_query"))
    );
}
