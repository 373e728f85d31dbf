//! The offer forms: the API's rules and messages beside the fields, typed values kept
//! on error, nothing stored from a refused form.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{location, TestWeb};

/// A valid form, to change one field of per case.
fn valid() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Form Offer"),
        ("tracking_url", "https://adv.example/t?c={click_id}"),
        ("payout", "3.75"),
        ("payout_type", "cpc"),
        ("external_platform", "everflow"),
        ("external_id", "ef-1"),
        ("advertiser_id", "adv-9"),
        ("filter_bots", "true"),
        ("status", "paused"),
    ]
}

/// `fields` with `name` set to `value`.
fn with(name: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    valid()
        .into_iter()
        .map(|(field, old)| (field, if field == name { value } else { old }))
        .collect()
}

/// The offer through the API.
async fn api_offer(web: &TestWeb, id: &str) -> Value {
    web.api(Method::GET, &format!("/api/v2/offers/{id}"))
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .expect("json")
}

#[tokio::test]
async fn a_valid_form_creates_the_offer_and_opens_its_page() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let response = web.post_form("/app/offers", &session, &valid()).await;
    assert_eq!(response.status(), 303);
    let page = location(&response);
    let id = page.strip_prefix("/app/offers/").expect("the offer's page");
    let offer = api_offer(&web, id).await;
    let stored = [
        ("name", "Form Offer"),
        ("payout_type", "cpc"),
        ("external_platform", "everflow"),
        ("external_id", "ef-1"),
        ("advertiser_id", "adv-9"),
        ("status", "paused"),
    ];
    for (field, value) in stored {
        assert_eq!(offer[field], value, "{field}");
    }
    assert_eq!(
        (offer["payout"].as_f64(), offer["filter_bots"].as_bool()),
        (Some(3.75), Some(true))
    );
}

#[tokio::test]
async fn a_refused_form_shows_each_error_beside_its_field_and_keeps_the_values() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let cases = [
        (
            with("name", ""),
            "name",
            "name is required",
            "an empty name",
        ),
        (with("name", "   "), "name", "name", "a blank name"),
        (
            with("tracking_url", "not a url"),
            "tracking_url",
            "absolute http or https URL",
            "a URL without a scheme",
        ),
        (
            with("tracking_url", "ftp://files.example/x"),
            "tracking_url",
            "absolute http or https URL",
            "an ftp URL",
        ),
        (
            with("payout", "abc"),
            "payout",
            "payout must be a number",
            "a payout that is no number",
        ),
        (
            with("payout", "-1"),
            "payout",
            "payout must be a number",
            "a negative payout",
        ),
        (
            with("payout_type", "cpm"),
            "payout_type",
            "payout_type",
            "an unknown payout type",
        ),
        (
            with("external_platform", "impact"),
            "external_platform",
            "external_platform",
            "an unknown platform",
        ),
        (
            with("status", "archived"),
            "status",
            "status",
            "archived on create",
        ),
    ];
    for (fields, field, message, description) in cases {
        let response = web.post_form("/app/offers", &session, &fields).await;
        assert_eq!(response.status(), 422, "{description}");
        let page = response.text().await.expect("page");
        let beside = format!(r#"<p class="error" id="{field}-error">"#);
        let start = page
            .find(&beside)
            .unwrap_or_else(|| panic!("{description}: no error beside {field}: {page}"));
        assert!(
            page[start..].contains(message),
            "{description}: says {message:?}"
        );
        assert!(
            page.contains(r#"value="adv-9""#),
            "{description}: the typed values are kept"
        );
    }
    let both = web
        .post_form(
            "/app/offers",
            &session,
            &[
                ("name", ""),
                ("tracking_url", "nope"),
                ("payout_type", "cpa"),
                ("status", "active"),
            ],
        )
        .await
        .text()
        .await
        .expect("page");
    assert!(
        both.contains(r#"id="name-error""#) && both.contains(r#"id="tracking_url-error""#),
        "every broken field at once"
    );
    let total: Value = web
        .api(Method::GET, "/api/v2/offers?status=paused")
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        total["pagination"]["total"], 0,
        "no refused form stored an offer"
    );
}

#[tokio::test]
async fn the_edit_form_saves_changes_and_clears_emptied_platform_fields() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let created = web.post_form("/app/offers", &session, &valid()).await;
    let page = location(&created);
    let id = page.strip_prefix("/app/offers/").expect("page").to_owned();
    let mut fields = with("name", "Renamed");
    for (field, value) in &mut fields {
        if matches!(*field, "external_platform" | "external_id") {
            *value = "";
        }
        if *field == "filter_bots" {
            *value = "false";
        }
    }
    let saved = web.post_form(&page, &session, &fields).await;
    assert_eq!(
        (saved.status().as_u16(), location(&saved)),
        (303, page.clone())
    );
    let offer = api_offer(&web, &id).await;
    assert_eq!(offer["name"], "Renamed");
    assert!(
        offer["external_platform"].is_null() && offer["external_id"].is_null(),
        "cleared: {offer}"
    );
    assert_eq!(offer["filter_bots"], false);
    assert_eq!(offer["advertiser_id"], "adv-9", "untouched fields stay");

    let refused = web
        .post_form(
            &page,
            &session,
            &with("tracking_url", "javascript:alert(1)"),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let form = refused.text().await.expect("page");
    assert!(
        form.contains(r#"id="tracking_url-error""#)
            && form.contains(r#"value="javascript:alert(1)""#)
    );
    assert_eq!(
        api_offer(&web, &id).await["name"],
        "Renamed",
        "a refused edit changes nothing"
    );
}
