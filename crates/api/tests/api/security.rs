//! SPEC §8.3: tenant isolation on every endpoint, oversize input refused, no open redirect.

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Map, Value};

use crate::helpers::{assert_error, send, TestApp};

/// A well-formed offer id that names no offer.
const GHOST_ID: &str = "664f1a2b3c4d5e6f7a8b9c0d";
/// A well-formed click id that names no click.
const GHOST_CLICK: &str = "664f1a2b3c4d5e6f7a8b9c0e";

/// How an offer, its click and its revenue can be named in a request.
struct Target {
    id: String,
    slug: String,
    name: String,
    external_id: String,
    advertiser_id: String,
    click_id: String,
    txn_id: String,
}

/// What the other account must be answered.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// This status and error code.
    Error(u16, &'static str),
    /// `200` with an empty array under this key and a zero total.
    EmptyList(&'static str),
    /// `200` from the bulk endpoint with every record refused with these codes, in order.
    BulkRefused(&'static [&'static str]),
}

/// One row of the isolation matrix: a description, what must come back, the request.
type Row<'a> = (
    &'static str,
    Expect,
    Box<dyn Fn(&Target) -> RequestBuilder + 'a>,
);

/// Builds a row; the closure's argument type comes from the bound.
fn row<'a>(
    description: &'static str,
    expect: Expect,
    build: impl Fn(&Target) -> RequestBuilder + 'a,
) -> Row<'a> {
    (description, expect, Box::new(build))
}

fn text<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is a string in {value}"))
}

fn check(expect: Expect, status: u16, body: &Value, description: &str) {
    match expect {
        Expect::Error(expected_status, code) => {
            assert_error(status, body, expected_status, code, description);
        }
        Expect::EmptyList(key) => {
            assert_eq!(status, 200, "{description}: status (body {body})");
            assert_eq!(body[key], json!([]), "{description}: nothing listed");
            assert_eq!(body["pagination"]["total"], 0, "{description}: total");
        }
        Expect::BulkRefused(codes) => {
            assert_eq!(status, 200, "{description}: status (body {body})");
            assert_eq!(
                body["success_count"], 0,
                "{description}: stored (body {body})"
            );
            assert_eq!(body["duplicate_count"], 0, "{description}: duplicates");
            assert_eq!(body["error_count"], codes.len(), "{description}: refused");
            let got: Vec<&str> = body["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .map(|error| text(error, "code"))
                .collect();
            assert_eq!(got, codes, "{description}: codes");
        }
    }
}

/// Everything account A can see about its own data, to compare before and after.
async fn snapshot(app: &TestApp, offers: &[&Value]) -> Vec<Value> {
    let mut seen = Vec::new();
    for offer in offers {
        let id = text(offer, "id");
        seen.push(app.get_offer(id).await.1);
        for path in [
            format!("/api/v2/offers/{id}/clicks"),
            format!("/api/v2/offers/{id}/stats"),
        ] {
            seen.push(send(app.api(Method::GET, &path)).await.1);
        }
    }
    for path in [
        "/api/v2/offers",
        "/api/v2/offers?status=archived",
        "/api/v2/revenue",
        "/api/v2/stats/offers",
    ] {
        seen.push(send(app.api(Method::GET, path)).await.1);
    }
    seen.push(json!([
        app.offer_rows(),
        app.click_rows(),
        app.revenue_rows()
    ]));
    seen
}

#[tokio::test]
async fn another_account_gets_not_found_or_empty_lists_on_every_endpoint_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let alpha = app
        .create_offer_with(json!({
            "name": "Alpha Promo",
            "tracking_url": "https://adv.example/a?c={click_id}",
            "external_platform": "tune",
            "external_id": "ext-alpha",
            "advertiser_id": "adv-alpha",
            "payout": 2.5,
            "metadata": {"geo": "US"}
        }))
        .await;
    let beta = app.create_offer("Beta Promo").await;
    app.delete_offer(text(&beta, "id")).await;
    let click_id = app.store_click(
        &alpha,
        chrono::Utc::now(),
        (
            "192.0.2.1",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        ),
        None,
    );
    for record in [
        json!({"click_id": click_id, "revenue": 7, "txn_id": "a-txn-1"}),
        json!({"offer_id": alpha["id"], "revenue": 3, "txn_id": "a-txn-2"}),
    ] {
        let (status, body) = app.post_revenue(&record).await;
        assert_eq!(status, 201, "A's own revenue: {body}");
    }
    let before = snapshot(&app, &[&alpha, &beta]).await;

    let other = app.other_account();
    let (key, secret) = (other.api_key.as_str(), other.postback_secret.as_str());
    let theirs = Target {
        id: text(&alpha, "id").to_owned(),
        slug: text(&alpha, "slug").to_owned(),
        name: "Alpha Promo".to_owned(),
        external_id: "ext-alpha".to_owned(),
        advertiser_id: "adv-alpha".to_owned(),
        click_id: click_id.clone(),
        txn_id: "a-txn-1".to_owned(),
    };
    let ghost = Target {
        id: GHOST_ID.to_owned(),
        slug: "ofr_ghost_zzzzzz".to_owned(),
        name: "Ghost".to_owned(),
        external_id: "ext-ghost".to_owned(),
        advertiser_id: "adv-ghost".to_owned(),
        click_id: GHOST_CLICK.to_owned(),
        txn_id: "ghost-txn".to_owned(),
    };
    let api = |method: Method, path: String| app.with_key(method, &path, key);
    let offer_path = |reference: &str, tail: &str| format!("/api/v2/offers/{reference}{tail}");
    let dates = [("from", "2026-01-01"), ("to", "2026-01-31")];
    let not_found = Expect::Error(404, "not_found");
    let offer_not_found = Expect::Error(404, "offer_not_found");
    let click_not_found = Expect::Error(404, "click_not_found");

    let rows: Vec<Row<'_>> = vec![
        row("GET offer by id", not_found, |t| {
            api(Method::GET, offer_path(&t.id, ""))
        }),
        row("GET offer by slug", not_found, |t| {
            api(Method::GET, offer_path(&t.slug, ""))
        }),
        row("PUT offer by id", not_found, |t| {
            api(Method::PUT, offer_path(&t.id, ""))
                .json(&json!({"name": "Stolen", "tracking_url": "https://evil.example"}))
        }),
        row("PUT offer by slug", not_found, |t| {
            api(Method::PUT, offer_path(&t.slug, "")).json(&json!({"payout": 999}))
        }),
        row("PATCH offer by id", not_found, |t| {
            api(Method::PATCH, offer_path(&t.id, ""))
                .json(&json!({"status": "paused", "metadata": {"geo": null, "owner": "B"}}))
        }),
        row("PATCH offer by slug", not_found, |t| {
            api(Method::PATCH, offer_path(&t.slug, "")).json(&json!({"status": "archived"}))
        }),
        row("DELETE offer by id", not_found, |t| {
            api(Method::DELETE, offer_path(&t.id, ""))
        }),
        row("DELETE offer by slug", not_found, |t| {
            api(Method::DELETE, offer_path(&t.slug, ""))
        }),
        row("GET clicks by id", not_found, |t| {
            api(Method::GET, offer_path(&t.id, "/clicks"))
        }),
        row("GET clicks by slug, with filters", not_found, |t| {
            api(Method::GET, offer_path(&t.slug, "/clicks"))
                .query(&[("is_bot", "false"), ("per_page", "100")])
        }),
        row("GET stats by id", not_found, |t| {
            api(Method::GET, offer_path(&t.id, "/stats"))
        }),
        row("GET stats by slug, with dates", not_found, |t| {
            api(Method::GET, offer_path(&t.slug, "/stats")).query(&dates)
        }),
        row("list offers", Expect::EmptyList("offers"), |_| {
            api(Method::GET, "/api/v2/offers".to_owned())
        }),
        row(
            "list offers by status active",
            Expect::EmptyList("offers"),
            |_| api(Method::GET, "/api/v2/offers".to_owned()).query(&[("status", "active")]),
        ),
        row(
            "list offers by status archived",
            Expect::EmptyList("offers"),
            |_| api(Method::GET, "/api/v2/offers".to_owned()).query(&[("status", "archived")]),
        ),
        row("list offers by name", Expect::EmptyList("offers"), |t| {
            api(Method::GET, "/api/v2/offers".to_owned()).query(&[("q", &t.name)])
        }),
        row(
            "list offers by platform and external id",
            Expect::EmptyList("offers"),
            |t| {
                api(Method::GET, "/api/v2/offers".to_owned()).query(&[
                    ("external_platform", "tune"),
                    ("external_id", &t.external_id),
                ])
            },
        ),
        row(
            "list offers by advertiser id",
            Expect::EmptyList("offers"),
            |t| {
                api(Method::GET, "/api/v2/offers".to_owned())
                    .query(&[("advertiser_id", &t.advertiser_id)])
            },
        ),
        row("list revenue", Expect::EmptyList("revenue"), |_| {
            api(Method::GET, "/api/v2/revenue".to_owned())
        }),
        row(
            "list revenue by offer id",
            Expect::EmptyList("revenue"),
            |t| api(Method::GET, "/api/v2/revenue".to_owned()).query(&[("offer_id", &t.id)]),
        ),
        row("list revenue by slug", Expect::EmptyList("revenue"), |t| {
            api(Method::GET, "/api/v2/revenue".to_owned()).query(&[("offer_id", &t.slug)])
        }),
        row("account stats", Expect::EmptyList("offers"), |_| {
            api(Method::GET, "/api/v2/stats/offers".to_owned())
        }),
        row(
            "account stats with dates",
            Expect::EmptyList("offers"),
            |_| api(Method::GET, "/api/v2/stats/offers".to_owned()).query(&dates),
        ),
        row("revenue naming the offer by id", offer_not_found, |t| {
            api(Method::POST, "/api/v2/revenue".to_owned())
                .json(&json!({"offer_id": t.id, "revenue": 1}))
        }),
        row("revenue naming the offer by slug", offer_not_found, |t| {
            api(Method::POST, "/api/v2/revenue".to_owned()).json(&json!({"offer_id": t.slug}))
        }),
        row(
            "revenue naming the offer by external id",
            offer_not_found,
            |t| {
                api(Method::POST, "/api/v2/revenue".to_owned())
                    .json(&json!({"offer_id": t.external_id}))
            },
        ),
        row("revenue naming the click", click_not_found, |t| {
            api(Method::POST, "/api/v2/revenue".to_owned())
                .json(&json!({"click_id": t.click_id, "revenue": 1}))
        }),
        row(
            "revenue naming the click and its offer",
            click_not_found,
            |t| {
                api(Method::POST, "/api/v2/revenue".to_owned())
                    .json(&json!({"click_id": t.click_id, "offer_id": t.id}))
            },
        ),
        row(
            "revenue reusing the other account's txn_id is not its duplicate",
            offer_not_found,
            |t| {
                api(Method::POST, "/api/v2/revenue".to_owned())
                    .json(&json!({"offer_id": t.id, "txn_id": t.txn_id}))
            },
        ),
        row(
            "bulk revenue naming the offer and click every way",
            Expect::BulkRefused(&[
                "offer_not_found",
                "offer_not_found",
                "offer_not_found",
                "click_not_found",
                "offer_not_found",
            ]),
            |t| {
                api(Method::POST, "/api/v2/revenue/bulk".to_owned()).json(&json!({"records": [
                    {"offer_id": t.id, "revenue": 1},
                    {"offer_id": t.slug},
                    {"offer_id": t.external_id},
                    {"click_id": t.click_id},
                    {"offer_id": t.id, "txn_id": t.txn_id},
                ]}))
            },
        ),
        row(
            "postback by click with the other account's secret",
            click_not_found,
            |t| {
                app.request(Method::GET, "/conv").query(&[
                    ("click_id", t.click_id.as_str()),
                    ("revenue", "5"),
                    ("postback_secret", secret),
                ])
            },
        ),
        row(
            "postback by offer id with the other account's secret",
            offer_not_found,
            |t| {
                app.request(Method::GET, "/conv/offer")
                    .query(&[("offer_id", t.id.as_str()), ("postback_secret", secret)])
            },
        ),
        row(
            "postback by slug with the other account's secret",
            offer_not_found,
            |t| {
                app.request(Method::GET, "/conv/offer")
                    .query(&[("offer_id", t.slug.as_str()), ("postback_secret", secret)])
            },
        ),
        row(
            "postback by external id and txn_id with the other account's secret",
            offer_not_found,
            |t| {
                app.request(Method::GET, "/conv/offer").query(&[
                    ("offer_id", t.external_id.as_str()),
                    ("txn_id", t.txn_id.as_str()),
                    ("postback_secret", secret),
                ])
            },
        ),
    ];

    for (description, expect, build) in &rows {
        let (status, body) = send(build(&theirs)).await;
        check(*expect, status, &body, description);
        let (ghost_status, ghost_body) = send(build(&ghost)).await;
        assert_eq!(
            (status, &body),
            (ghost_status, &ghost_body),
            "{description}: answered exactly like a resource that does not exist"
        );
    }
    assert_eq!(
        snapshot(&app, &[&alpha, &beta]).await,
        before,
        "account A's data is unchanged"
    );
}

#[tokio::test]
async fn idempotency_keys_and_txn_ids_are_per_account() {
    let app = TestApp::spawn().await;
    let other = app.other_account();
    let body = json!({"name": "Same", "tracking_url": "https://adv.example/x"});
    let post = |key: &str| {
        app.with_key(Method::POST, "/api/v2/offers", key)
            .header("Idempotency-Key", "shared-key")
            .json(&body)
            .send()
    };
    let mine = post(&app.account.api_key).await.expect("request");
    assert_eq!(mine.status(), 201);
    let mine: Value = mine.json().await.expect("json");
    let theirs = post(&other.api_key).await.expect("request");
    assert_eq!(theirs.status(), 201, "a new offer, not A's replay");
    assert!(
        theirs.headers().get("idempotent-replayed").is_none(),
        "not a replay of another account's response"
    );
    let theirs: Value = theirs.json().await.expect("json");
    assert_ne!(theirs["offer"]["id"], mine["offer"]["id"]);
    assert_eq!(app.offer_rows(), 2);

    let (status, first) = app
        .post_revenue(&json!({"offer_id": mine["offer"]["id"], "txn_id": "t-1", "revenue": 5}))
        .await;
    assert_eq!(status, 201);
    let (status, second) = send(
        app.with_key(Method::POST, "/api/v2/revenue", &other.api_key)
            .json(&json!({"offer_id": theirs["offer"]["id"], "txn_id": "t-1", "revenue": 9})),
    )
    .await;
    assert_eq!(status, 201, "not another account's duplicate: {second}");
    assert_eq!(second["duplicate"], Value::Null);
    assert_eq!(second["offer_id"], theirs["offer"]["id"]);
    assert_ne!(second["revenue_id"], first["revenue_id"]);
    assert_eq!(app.revenue_rows(), 2);
}

/// `n` characters, multi-byte ones included, so limits count characters, not bytes.
fn chars(n: usize) -> String {
    "é".repeat(n / 2) + &"x".repeat(n - n / 2)
}

/// A tracking URL of exactly `n` characters.
fn url_of(n: usize) -> String {
    let base = "https://adv.example/";
    base.to_owned() + &"a".repeat(n - base.len())
}

/// Metadata with `n` keys.
fn keys(n: usize) -> Value {
    Value::Object(
        (0..n)
            .map(|i| (format!("k{i}"), Value::from("v")))
            .collect::<Map<_, _>>(),
    )
}

/// Offer fields one over their limit: field, value, code, description.
fn oversize_offer_fields() -> Vec<(&'static str, Value, &'static str, &'static str)> {
    vec![
        (
            "name",
            json!(chars(256)),
            "name_too_long",
            "name of 256 characters",
        ),
        (
            "tracking_url",
            json!(url_of(2049)),
            "invalid_tracking_url",
            "tracking_url of 2049 characters",
        ),
        (
            "metadata",
            json!({ chars(41): "v" }),
            "invalid_metadata",
            "metadata key of 41 characters",
        ),
        (
            "metadata",
            json!({"k": chars(501)}),
            "invalid_metadata",
            "metadata value of 501 characters",
        ),
        ("metadata", keys(51), "invalid_metadata", "51 metadata keys"),
        (
            "external_id",
            json!(chars(256)),
            "invalid_external_id",
            "external_id of 256 characters",
        ),
        (
            "advertiser_id",
            json!(chars(256)),
            "invalid_advertiser_id",
            "advertiser_id of 256 characters",
        ),
    ]
}

#[tokio::test]
async fn oversize_offer_fields_are_refused_on_create_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    for (field, value, code, description) in oversize_offer_fields() {
        let mut body = json!({"name": "N", "tracking_url": "https://adv.example/x"});
        body[field] = value;
        let (status, answer) = send(app.api(Method::POST, "/api/v2/offers").json(&body)).await;
        assert_error(status, &answer, 400, code, description);
        assert_eq!(answer["field"], field, "{description}: field");
        assert_eq!(app.offer_rows(), 0, "{description}: nothing stored");
    }
}

#[tokio::test]
async fn fields_at_their_limits_are_stored_whole() {
    let app = TestApp::spawn().await;
    let mut metadata = keys(48);
    metadata[chars(40)] = json!("v");
    metadata["long"] = json!(chars(500));
    let body = json!({
        "name": chars(255),
        "tracking_url": url_of(2048),
        "external_id": chars(255),
        "advertiser_id": chars(255),
        "metadata": metadata,
    });
    let offer = app.create_offer_with(body.clone()).await;
    let (_, stored) = app.get_offer(text(&offer, "id")).await;
    for field in [
        "name",
        "tracking_url",
        "external_id",
        "advertiser_id",
        "metadata",
    ] {
        assert_eq!(stored[field], body[field], "{field} is stored whole");
    }

    let (status, event) = app
        .post_revenue(
            &json!({"offer_id": offer["id"], "message_id": chars(64), "txn_id": chars(255)}),
        )
        .await;
    assert_eq!(status, 201, "{event}");
    assert_eq!(event["message_id"], json!(chars(64)));
    let (_, listed) = send(app.api(Method::GET, "/api/v2/revenue")).await;
    assert_eq!(listed["revenue"][0]["txn_id"], json!(chars(255)));
    assert_eq!(listed["revenue"][0]["message_id"], json!(chars(64)));
}

#[tokio::test]
async fn oversize_offer_fields_are_refused_on_update_and_change_nothing() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(json!({
            "name": "Kept",
            "tracking_url": "https://adv.example/x",
            "external_id": "e",
            "advertiser_id": "a",
            "metadata": keys(50),
        }))
        .await;
    let id = text(&offer, "id");
    let (_, before) = app.get_offer(id).await;
    let mut cases = oversize_offer_fields();
    cases.push((
        "metadata",
        json!({"one-more": "v"}),
        "invalid_metadata",
        "a 51st key after the merge",
    ));
    for (field, value, code, description) in cases {
        for method in [Method::PUT, Method::PATCH] {
            let context = format!("{method} {description}");
            let (status, answer) = send(
                app.api(method, &format!("/api/v2/offers/{id}"))
                    .json(&json!({ field: value })),
            )
            .await;
            assert_error(status, &answer, 400, code, &context);
            assert_eq!(answer["field"], field, "{context}: field");
            let (_, after) = app.get_offer(id).await;
            assert_eq!(after, before, "{context}: the offer is unchanged");
        }
    }
    assert_eq!(app.offer_rows(), 1);
}

#[tokio::test]
async fn oversize_revenue_ids_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Paid").await;
    let id = text(&offer, "id");
    let secret = app.account.postback_secret.clone();
    let (long_message, long_txn) = (chars(65), chars(256));
    let cases = [
        (
            app.api(Method::POST, "/api/v2/revenue")
                .json(&json!({"offer_id": id, "message_id": long_message})),
            "invalid_message_id",
            "message_id of 65 characters",
        ),
        (
            app.api(Method::POST, "/api/v2/revenue")
                .json(&json!({"offer_id": id, "txn_id": long_txn})),
            "invalid_txn_id",
            "txn_id of 256 characters",
        ),
        (
            app.request(Method::GET, "/conv/offer").query(&[
                ("offer_id", id),
                ("message_id", &long_message),
                ("postback_secret", &secret),
            ]),
            "invalid_message_id",
            "postback message_id of 65 characters",
        ),
        (
            app.request(Method::GET, "/conv/offer").query(&[
                ("offer_id", id),
                ("txn_id", &long_txn),
                ("postback_secret", &secret),
            ]),
            "invalid_txn_id",
            "postback txn_id of 256 characters",
        ),
    ];
    for (request, code, description) in cases {
        let (status, answer) = send(request).await;
        assert_error(status, &answer, 400, code, description);
        assert_eq!(app.revenue_rows(), 0, "{description}: nothing stored");
    }
    let (status, answer) = send(app.api(Method::POST, "/api/v2/revenue/bulk").json(&json!({
        "records": [
            {"offer_id": id, "message_id": long_message},
            {"offer_id": id, "txn_id": long_txn},
        ]
    })))
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["success_count"], 0);
    assert_eq!(answer["errors"][0]["code"], "invalid_message_id");
    assert_eq!(answer["errors"][1]["code"], "invalid_txn_id");
    assert_eq!(app.revenue_rows(), 0, "bulk: nothing stored");
}

#[tokio::test]
async fn tracking_urls_that_could_send_a_browser_elsewhere_are_refused() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Safe").await;
    let id = text(&offer, "id");
    let (_, before) = app.get_offer(id).await;
    let cases = [
        ("javascript:alert(1)", "javascript scheme"),
        (
            "JavaScript:alert(1)//https://adv.example",
            "javascript, mixed case",
        ),
        ("data:text/html,x", "data URL"),
        ("//evil.example/x", "scheme-relative"),
        ("https:///evil.example", "empty authority"),
        ("https:evil.example", "no slashes"),
        ("https:\\\\evil.example", "backslashes instead of slashes"),
        ("https://\\evil.example", "a backslash for the authority"),
        ("ftp://evil.example", "ftp"),
        ("file:///etc/passwd", "file"),
        ("/relative/path", "relative"),
        ("https://", "no host"),
        (
            "https://adv.example/\nLocation: https://evil.example",
            "a line break",
        ),
    ];
    for (url, description) in cases {
        let (status, answer) = send(
            app.api(Method::POST, "/api/v2/offers")
                .json(&json!({"name": "Evil", "tracking_url": url})),
        )
        .await;
        assert_error(status, &answer, 400, "invalid_tracking_url", description);
        let (status, answer) = app.put_offer(id, &json!({"tracking_url": url})).await;
        assert_error(
            status,
            &answer,
            400,
            "invalid_tracking_url",
            &format!("update: {description}"),
        );
    }
    assert_eq!(app.offer_rows(), 1, "nothing created");
    assert_eq!(app.get_offer(id).await.1, before, "nothing changed");
}

fn code_of(offer: &Value) -> String {
    text(offer, "click_url")
        .rsplit('/')
        .next()
        .expect("a code")
        .to_owned()
}

#[tokio::test]
async fn sub_values_never_move_the_redirect_off_the_offers_host() {
    let app = TestApp::spawn().await;
    let offers = [
        app.create_offer_with(json!({"name": "Macros", "tracking_url": "https://adv.example/p/{sub1}?q={sub2}#{sub3}"}))
            .await,
        app.create_offer_with(json!({"name": "Double", "tracking_url": "https://adv.example/{{sub1}}"}))
            .await,
        app.create_offer_with(json!({"name": "Host only", "tracking_url": "https://adv.example"}))
            .await,
    ];
    let values = [
        "@evil.example",
        "//evil.example",
        "%2F%2Fevil.example",
        "\\evil.example",
        "\\\\evil.example",
        "evil.example#x",
        "https://evil.example",
        "a/../../evil.example",
        "..",
        ":@evil.example:443",
        "\r\nLocation: https://evil.example",
        "évil.example",
        "{sub2}",
    ];
    for offer in &offers {
        let code = code_of(offer);
        let mut requests: Vec<(String, RequestBuilder)> = values
            .iter()
            .map(|value| {
                (
                    format!("{} with every sub = {value:?}", offer["name"]),
                    app.request(Method::GET, &format!("/{code}")).query(&[
                        ("sub1", *value),
                        ("sub2", *value),
                        ("sub3", *value),
                    ]),
                )
            })
            .collect();
        for raw in [
            "sub1=//evil.example&sub2=@evil.example&sub3=https://evil.example",
            "sub1=%2F%2Fevil.example&sub2=%40evil.example",
            "sub1=%5Cevil.example&sub2=%23x&sub3=%3F",
            "sub1=%zz&sub2=%",
        ] {
            requests.push((
                format!("{} with the raw query {raw}", offer["name"]),
                app.request(Method::GET, &format!("/{code}?{raw}")),
            ));
        }
        for (description, request) in requests {
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), 302, "{description}");
            let location = response.headers()["location"]
                .to_str()
                .unwrap_or_else(|error| panic!("{description}: Location not ASCII: {error}"));
            let url = reqwest::Url::parse(location)
                .unwrap_or_else(|error| panic!("{description}: {location} ({error})"));
            assert_eq!(url.scheme(), "https", "{description}: {location}");
            assert_eq!(
                url.host_str(),
                Some("adv.example"),
                "{description}: {location}"
            );
            assert_eq!(url.port(), None, "{description}: {location}");
            assert_eq!(url.username(), "", "{description}: {location}");
            assert_eq!(url.password(), None, "{description}: {location}");
        }
    }
}

/// PostgreSQL stores no NUL character in `text` or `jsonb`; the fuzzer found that a NUL
/// in a bulk record was a 500. Every field refuses it with its own code.
#[tokio::test]
async fn nul_characters_are_refused_with_the_fields_code_and_store_nothing() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Clean").await;
    let id = offer["id"].as_str().expect("id").to_owned();
    let url = "https://adv.example/x";
    let cases: Vec<(Method, String, serde_json::Value, &str, &str)> = vec![
        (
            Method::POST,
            "/api/v2/offers".into(),
            serde_json::json!({"name": "a\u{0}b", "tracking_url": url}),
            "invalid_name",
            "name",
        ),
        (
            Method::POST,
            "/api/v2/offers".into(),
            serde_json::json!({"name": "a", "tracking_url": url, "metadata": {"k": "v\u{0}"}}),
            "invalid_metadata",
            "metadata value",
        ),
        (
            Method::POST,
            "/api/v2/offers".into(),
            serde_json::json!({"name": "a", "tracking_url": url, "metadata": {"k\u{0}": "v"}}),
            "invalid_metadata",
            "metadata key",
        ),
        (
            Method::POST,
            "/api/v2/offers".into(),
            serde_json::json!({"name": "a", "tracking_url": url, "external_id": "e\u{0}"}),
            "invalid_external_id",
            "external id",
        ),
        (
            Method::POST,
            "/api/v2/offers".into(),
            serde_json::json!({"name": "a", "tracking_url": url, "advertiser_id": "\u{0}"}),
            "invalid_advertiser_id",
            "advertiser id",
        ),
        (
            Method::POST,
            "/api/v2/offers".into(),
            serde_json::json!({"name": "a", "tracking_url": "https://adv.example/\u{0}"}),
            "invalid_tracking_url",
            "tracking url",
        ),
        (
            Method::PUT,
            format!("/api/v2/offers/{id}"),
            serde_json::json!({"metadata": {"k": "\u{0}"}}),
            "invalid_metadata",
            "merged metadata",
        ),
        (
            Method::POST,
            "/api/v2/revenue".into(),
            serde_json::json!({"offer_id": id, "txn_id": "t\u{0}"}),
            "invalid_txn_id",
            "txn id",
        ),
        (
            Method::POST,
            "/api/v2/revenue".into(),
            serde_json::json!({"offer_id": id, "message_id": "\u{0}"}),
            "invalid_message_id",
            "message id",
        ),
        (
            Method::POST,
            "/api/v2/revenue".into(),
            serde_json::json!({"offer_id": format!("{id}\u{0}")}),
            "invalid_offer_id",
            "offer id",
        ),
        (
            Method::POST,
            "/api/v2/revenue".into(),
            serde_json::json!({"click_id": "c\u{0}"}),
            "invalid_click_id",
            "click id",
        ),
    ];
    for (method, path, body, code, description) in cases {
        let (status, answer) = send(app.api(method, &path).json(&body)).await;
        assert_error(status, &answer, 400, code, description);
    }
    let (status, summary) = send(app.api(Method::POST, "/api/v2/revenue/bulk").json(
        &serde_json::json!({
            "records": [{"offer_id": id, "txn_id": "t\u{0}"}, {"offer_id": id, "revenue": 1}]
        }),
    ))
    .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(
        (
            summary["success_count"].clone(),
            summary["errors"][0]["code"].clone()
        ),
        (serde_json::json!(1), serde_json::json!("invalid_txn_id"))
    );
    for query in ["?q=a%00", "?external_id=%00"] {
        let (status, answer) = send(app.api(Method::GET, &format!("/api/v2/offers{query}"))).await;
        assert_eq!(status, 400, "{query}: {answer}");
    }
    assert_eq!(app.offer_rows(), 1);
    assert_eq!(app.revenue_rows(), 1);
}

/// A NUL in a tracking link's sub value is dropped from the stored click, and the click
/// writer keeps writing: one hostile click must never block the others.
#[tokio::test]
async fn a_nul_in_a_sub_value_is_dropped_and_the_click_stored() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Link").await;
    let code = offer["click_url"]
        .as_str()
        .expect("url")
        .rsplit('/')
        .next()
        .expect("code")
        .to_owned();
    for path in [format!("/{code}?sub1=a%00b"), format!("/{code}?sub1=fine")] {
        assert_eq!(app.follow(&path).await.status(), 302, "{path}");
    }
    app.flush_clicks(std::time::Duration::from_secs(5)).await;
    let (_, listed) = send(app.api(
        Method::GET,
        &format!(
            "/api/v2/offers/{}/clicks",
            offer["id"].as_str().expect("id")
        ),
    ))
    .await;
    let mut subs: Vec<String> = listed["clicks"]
        .as_array()
        .expect("clicks")
        .iter()
        .map(|click| click["sub1"].as_str().expect("sub1").to_owned())
        .collect();
    subs.sort();
    assert_eq!(subs, ["ab", "fine"]);
}
