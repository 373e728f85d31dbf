//! Every page renders, for an account with nothing yet and for a busy one, and shows
//! what the account holds (and nothing of other accounts).

use reqwest::Method;
use serde_json::{json, Value};
use trackly_domain::integration::{
    IntegrationSettings, MessageIdField, RunCounts, RunStatus, SyncKind,
};
use trackly_domain::offer::ExternalPlatform;
use trackly_store::integrations::{insert_integration, SealedKey};
use trackly_store::sync_runs::{finish_run, start_run};

use crate::helpers::TestWeb;

const PERSON: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const PREVIEW: &str = "WhatsApp/2.23.20.0";

#[tokio::test]
async fn every_page_of_an_empty_account_says_what_to_do_next() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let pages = [
        ("/app", "Create your first offer", "overview"),
        ("/app/offers", "Create your first offer", "offers"),
        ("/app/offers/new", "Create offer", "new offer form"),
        ("/app/links", "POST /api/v2/links/bulk", "links"),
        (
            "/app/integrations",
            "POST /api/v2/integrations",
            "integrations",
        ),
    ];
    for (path, next_step, description) in pages {
        let (status, page) = web.page(path, &session).await;
        assert_eq!(status, 200, "{description}");
        assert!(
            page.contains(next_step),
            "{description} says {next_step:?}: {page}"
        );
    }
}

/// Follows `link_id` (or an offer code) once with `agent`.
async fn click(web: &TestWeb, path: &str, agent: &str) {
    let response = web
        .client
        .get(format!("{}/{path}", web.address))
        .header("User-Agent", agent)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 302, "following /{path}");
}

/// A TUNE connection with one finished run, stored directly.
fn stored_connection(web: &TestWeb) {
    let mut conn = web.conn();
    let now = chrono::Utc::now();
    let id = trackly_store::secrets::new_id(now);
    let settings = IntegrationSettings {
        platform: ExternalPlatform::Tune,
        base_url: Some("https://api.tune.example".to_owned()),
        network_id: Some("acme".to_owned()),
        affiliate_id: Some("77".to_owned()),
        sync_offers: true,
        sync_conversions: true,
        message_id_field: MessageIdField::default(),
        timezone: chrono_tz::UTC,
    };
    let key = SealedKey {
        sealed: vec![0; 40],
        last4: "…k3y9".to_owned(),
    };
    insert_integration(
        &mut conn,
        &web.account.account_id,
        &id,
        &settings,
        &key,
        now,
    )
    .expect("store the connection")
    .expect("a new connection");
    let account = &web.account.account_id;
    let run = start_run(&mut conn, account, &id, SyncKind::Conversions, now).expect("start a run");
    let counts = RunCounts {
        conversions_imported: 12,
        duplicates: 3,
        unmatched: 1,
        ..RunCounts::default()
    };
    let errors = ["conversion 991 matched no click and no offer".to_owned()];
    finish_run(
        &mut conn,
        account,
        &run.id,
        RunStatus::Partial,
        &counts,
        &errors,
        now,
    )
    .expect("finish");
}

#[tokio::test]
async fn every_page_of_a_busy_account_shows_its_numbers() {
    let web = TestWeb::spawn().await;
    let earner = web.offer_named("Summer Promo").await;
    let quiet = web
        .create_offer(json!({"name": "Winter Sale", "tracking_url": "https://w.example", "external_platform": "tune", "external_id": "88"}))
        .await;
    let click_url = earner["click_url"].as_str().expect("click_url");
    let code = click_url.rsplit('/').next().expect("a code");
    click(&web, code, PERSON).await;
    click(&web, code, PREVIEW).await;
    let bulk = web
        .api(Method::POST, "/api/v2/links/bulk")
        .json(&json!({"links": [
            {"offerId": earner["id"], "listId": "spring", "contactPhone": "+14155550001", "messageId": "spring-42"},
            {"offerId": earner["id"], "listId": "spring", "contactPhone": "+14155550002", "messageId": "spring-42"},
        ]}))
        .send()
        .await
        .expect("request");
    let status = bulk.status();
    let bulk: Value = bulk.json().await.expect("json");
    assert_eq!(
        (status.as_u16(), bulk["success_count"].as_u64()),
        (200, Some(2)),
        "bulk links: {bulk}"
    );
    let link_id = bulk["links"][0]["linkId"]
        .as_str()
        .expect("a link id")
        .to_owned();
    click(&web, &link_id, PERSON).await;
    web.flush_clicks().await;
    let revenue = web
        .api(Method::POST, "/api/v2/revenue")
        .json(&json!({"offer_id": earner["id"], "revenue": "1234.5", "message_id": "spring-42", "txn_id": "t-1"}))
        .send()
        .await
        .expect("request");
    assert_eq!(revenue.status(), 201);
    stored_connection(&web);
    let session = web.sign_in().await;

    let offer_path = format!("/app/offers/{}", earner["id"].as_str().expect("id"));
    let expectations: [(&str, &[&str], &str); 5] = [
        (
            "/app",
            &[
                "Summer Promo",
                "Winter Sale",
                "1,234.50",
                "Top offers by revenue",
            ],
            "overview",
        ),
        (
            "/app/offers",
            &[
                "Summer Promo",
                "Winter Sale",
                "tune",
                "2.50 cpa",
                "2 offers",
            ],
            "offers list",
        ),
        (
            &offer_path,
            &[
                "Summer Promo",
                "http://trk.test/",
                "<svg",
                "Bot",
                "bot_user_agent",
                "first click",
                "spring-42",
                "t-1",
                "1,234.50",
            ],
            "offer page",
        ),
        ("/app/links", &["spring-42", "1,234.50"], "links by message"),
        (
            "/app/integrations",
            &[
                "TUNE",
                "…k3y9",
                "12 imported, 3 duplicates, 1 unmatched",
                "partial",
                "conversion 991 matched no click",
            ],
            "integrations",
        ),
    ];
    for (path, shown, description) in expectations {
        let (status, page) = web.page(path, &session).await;
        assert_eq!(status, 200, "{description}");
        for text in shown {
            assert!(page.contains(text), "{description} shows {text:?}: {page}");
        }
    }
    let (_, edit) = web
        .page(
            &format!("/app/offers/{}/edit", quiet["id"].as_str().expect("id")),
            &session,
        )
        .await;
    assert!(
        edit.contains(r#"value="Winter Sale""#) && edit.contains(r#"value="88""#),
        "the edit form holds the offer: {edit}"
    );
}

#[tokio::test]
async fn the_offer_chart_has_one_point_per_day_of_the_chosen_range() {
    let web = TestWeb::spawn().await;
    let offer = web.offer_named("Ranged").await;
    let session = web.sign_in().await;
    let id = offer["id"].as_str().expect("id");
    let cases = [
        ("", 7, "the last 7 days by default"),
        ("?from=2026-01-01&to=2026-01-10", 10, "ten days"),
        ("?from=2026-02-01&to=2026-02-01", 1, "one day"),
        (
            "?from=2026-02-10&to=2026-02-01",
            7,
            "a reversed range falls back to 7 days",
        ),
    ];
    for (query, days, description) in cases {
        let (status, page) = web
            .page(&format!("/app/offers/{id}{query}"), &session)
            .await;
        assert_eq!(status, 200, "{description}");
        let points = page.matches(r#"<circle class="point""#).count();
        assert_eq!(
            points,
            days * 5,
            "{description}: five series of {days} points"
        );
    }
    let (_, refused) = web
        .page(
            &format!("/app/offers/{id}?from=2026-02-10&to=2026-02-01"),
            &session,
        )
        .await;
    assert!(
        refused.contains("from must not be after to"),
        "the refused range says why"
    );
}

#[tokio::test]
async fn the_offers_list_searches_filters_and_pages() {
    let web = TestWeb::spawn().await;
    for number in 0..27 {
        web.offer_named(&format!("Bulk offer {number:02}")).await;
    }
    web.create_offer(json!({"name": "Paused Everflow", "tracking_url": "https://e.example", "status": "paused", "external_platform": "everflow"}))
        .await;
    let session = web.sign_in().await;
    let cases: [(&str, &[&str], &[&str], &str); 5] = [
        (
            "?q=offer+07",
            &["Bulk offer 07"],
            &["Bulk offer 08", "Paused Everflow"],
            "search by name",
        ),
        (
            "?status=paused",
            &["Paused Everflow"],
            &["Bulk offer"],
            "status filter",
        ),
        (
            "?external_platform=everflow",
            &["Paused Everflow"],
            &["Bulk offer"],
            "platform filter",
        ),
        (
            "?page=2",
            &["Page 2 of 2", "Bulk offer 00", "← Newer"],
            &["Older →"],
            "second page",
        ),
        (
            "?status=gone",
            &["status must be one of"],
            &["Bulk offer"],
            "a bad filter says why",
        ),
    ];
    for (query, shown, hidden, description) in cases {
        let (status, page) = web.page(&format!("/app/offers{query}"), &session).await;
        assert_eq!(status, 200, "{description}");
        for text in shown {
            assert!(page.contains(text), "{description} shows {text:?}");
        }
        for text in hidden {
            assert!(!page.contains(text), "{description} hides {text:?}");
        }
    }
}

#[tokio::test]
async fn another_accounts_offer_is_not_found() {
    let web = TestWeb::spawn().await;
    let other =
        trackly_store::accounts::create_account(&mut web.conn(), "other", None, chrono::Utc::now())
            .expect("account");
    let theirs = web
        .client
        .post(format!("{}/api/v2/offers", web.address))
        .header("X-Api-Key", &other.api_key)
        .json(&json!({"name": "Theirs", "tracking_url": "https://t.example"}))
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .expect("json");
    let id = theirs["offer"]["id"].as_str().expect("id");
    let session = web.sign_in().await;
    for path in [
        format!("/app/offers/{id}"),
        format!("/app/offers/{id}/edit"),
    ] {
        let (status, page) = web.page(&path, &session).await;
        assert_eq!(status, 404, "{path}");
        assert!(!page.contains("Theirs"), "{path} shows nothing of theirs");
    }
    let (_, list) = web.page("/app/offers", &session).await;
    assert!(
        !list.contains("Theirs"),
        "the list holds only the account's offers"
    );
}
